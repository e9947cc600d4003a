#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A built tool (usually a daemon) running in the background while a test talks to it, signals it and waits
/// for it: `posix_spawn` with stdin from `/dev/null` and stdout and stderr to a file, or to a pipe whose read end
/// is already closed (every write fails with `EPIPE`, and raises SIGPIPE unless the tool ignores it). Every
/// signal starts at its default action and unblocked.
/// Call ``stop()`` when done (`defer`): a tool still running is then terminated.
package final class ToolProcess: @unchecked Sendable {
    /// Where the tool's stdout and stderr go.
    package enum Output: Sendable {
        /// Appended to the file at this path (created empty).
        case file(String)
        /// A pipe nobody reads: its read end is closed before the tool starts.
        case brokenPipe
    }

    /// The tool's process id.
    package let pid: Int32
    private var status: Int32? = nil

    /// Starts `tool` (a built tool's name, or a path) with `arguments`. With `journalStream`, the environment
    /// gets `JOURNAL_STREAM=<device>:<inode>` of the tool's stderr, as systemd sets it for a service whose
    /// stderr goes to journald; `environment` adds (or replaces) further variables.
    package init(
        _ tool: String, _ arguments: [String], output: Output, journalStream: Bool = false,
        environment: [String: String] = [:]
    ) throws {
        let executable = ToolRunner.path(of: tool)
        guard access(executable, X_OK) == 0 else {
            throw ToolRunner.Failure(description: "\(executable) is not an executable: build it first (swift build --build-tests)")
        }
        let target: Int32
        switch output {
        case .file(let path):
            target = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
            guard target >= 0 else { throw ToolRunner.Failure(description: "open \(path): errno \(errno)") }
        case .brokenPipe:
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw ToolRunner.Failure(description: "pipe: errno \(errno)") }
            close(ends[0])
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            target = ends[1]
        }
        defer { close(target) }

        var variables = environment
        if journalStream {
            var info = stat()
            guard fstat(target, &info) == 0 else { throw ToolRunner.Failure(description: "fstat: errno \(errno)") }
            variables["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        }
        var entries: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if variables[name] == nil { entries.append(text) }
            index += 1
        }
        entries += variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, target, 1)
        posix_spawn_file_actions_adddup2(&actions, target, 2)
        // A clean start, as from init or a shell: no signal blocked or ignored (the test's threads block some,
        // and a spawned process would inherit that).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF) | Int16(POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw ToolRunner.Failure(description: "posix_spawn \(executable): errno \(rc)") }
        self.pid = pid
    }

    deinit { _ = stop() }

    /// The exit status (0…255, or 128 + the signal that ended it) once the tool has ended, else `nil`.
    package var exitStatus: Int32? { reap(blocking: false) }

    /// Whether the tool still runs.
    package var isRunning: Bool { exitStatus == nil }

    /// Sends `signal` to the tool (nothing once it has ended and been reaped).
    package func send(_ signal: Int32) {
        guard status == nil else { return }
        kill(pid, signal)
    }

    /// Waits at most `seconds` for the tool to end; its exit status, or `nil` when it still runs.
    package func waitForExit(seconds: Double = 10) -> Int32? {
        _ = waitUntil(seconds: seconds) { exitStatus != nil }
        return exitStatus
    }

    /// Ends the tool: SIGTERM, at most 5 s to exit, then SIGKILL. Returns its exit status.
    @discardableResult
    package func stop() -> Int32? {
        if let status { return status }
        kill(pid, SIGTERM)
        if let status = waitForExit(seconds: 5) { return status }
        kill(pid, SIGKILL)
        return reap(blocking: true)
    }

    private func reap(blocking: Bool) -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        var rc: pid_t
        repeat { rc = waitpid(pid, &raw, blocking ? 0 : WNOHANG) } while rc < 0 && errno == EINTR
        guard rc == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (glibc macros).
        let signal = raw & 0x7f
        status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return status
    }
}

/// Evaluates `condition` every 20 ms until it holds (then `true`) or `seconds` have passed (then `false`).
package func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    while true {
        if condition() { return true }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
        if elapsed >= seconds { return false }
        usleep(20_000)
    }
}

/// The whole content of the file at `path` as UTF-8 (empty when it cannot be read).
package func fileContents(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { bytes += chunk[0..<n]; continue }
        if n < 0 && errno == EINTR { continue }
        break
    }
    return String(decoding: bytes, as: UTF8.self)
}
