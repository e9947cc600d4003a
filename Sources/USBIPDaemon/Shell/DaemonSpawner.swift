#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import SystemPackage

/// `-D` without fork in a Swift process: re-executes itself (the path `/proc/self/exe` links to) with `--daemon-child` in a new session
/// (`POSIX_SPAWN_SETSID`), stdio on `/dev/null` and a pipe on fd 3, then waits for the child's one-line report:
/// `ok` after it listens and wrote its pid file, or the error line it would have printed.
enum DaemonSpawner {
    /// The descriptor the child reports on.
    static let reportFD: Int32 = 3

    /// Starts the child and returns the exit status for the parent (0 when the child reported `ok`), printing the
    /// child's error line on stderr otherwise.
    static func spawnAndWait(arguments: [String], program: String = "usbipd") -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            printError("\(program): error: pipe: \(Errno(rawValue: errno).description)")
            return 1
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // dup2 clears close-on-exec on the target: the child keeps fd 3, nothing else.
        posix_spawn_file_actions_adddup2(&actions, writeEnd, reportFD)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        sigaddset(&defaultSignals, SIGTERM)
        sigaddset(&defaultSignals, SIGINT)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(
            &attributes,
            Int16(cshims_posix_spawn_setsid()) | Int16(POSIX_SPAWN_SETSIGDEF) | Int16(POSIX_SPAWN_SETSIGMASK))

        let argv = [program, "--daemon-child"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        // The real path rather than /proc/self/exe, so the child's name (comm, ps, pgrep) stays `usbipd`.
        let rc = posix_spawn(&pid, executablePath(), &actions, &attributes, &cArguments, environ)
        _ = close(writeEnd)
        guard rc == 0 else {
            _ = close(readEnd)
            printError("\(program): error: cannot start the daemon: \(Errno(rawValue: rc).description)")
            return 1
        }

        var report: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while report.count < 4096 {
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 { report.append(contentsOf: buffer.prefix(n)); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        _ = close(readEnd)
        let text = String(decoding: report, as: UTF8.self)
        if text == "ok\n" || text == "ok" { return 0 }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        printError(text.isEmpty ? "\(program): error: the daemon exited during start-up" : text)
        return 1
    }

    /// The running executable's path (`readlink /proc/self/exe`), or `/proc/self/exe` when unreadable.
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "/proc/self/exe" }
        let path = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A replaced binary reads as "<path> (deleted)": fall back to the still-valid link.
        return path.hasSuffix(" (deleted)") ? "/proc/self/exe" : path
    }

    /// Writes `line` (plus a newline unless present) to stderr.
    static func printError(_ line: String) {
        let text = line.hasSuffix("\n") ? line : line + "\n"
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// The child's report: `ok`, or the error line; closes fd 3 so the parent returns.
    static func report(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(reportFD, $0.baseAddress, $0.count) }
        _ = close(reportFD)
    }
}
