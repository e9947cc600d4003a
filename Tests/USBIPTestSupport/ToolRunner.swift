#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// What a tool run produced: its exit status and everything it wrote.
package struct ToolResult: Sendable, Equatable, CustomStringConvertible {
    /// The exit status (0…255), or 128 + the signal number when a signal ended the process.
    package var status: Int32
    /// Everything written to stdout, decoded as UTF-8.
    package var stdout: String
    /// Everything written to stderr, decoded as UTF-8.
    package var stderr: String

    /// Creates a result.
    package init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// The three parts, for test failure messages.
    package var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---" }
}

/// Runs the built executables (`usbip`, `usbipd`, `usbipa`) from tests: `posix_spawn`, stdin from `/dev/null`,
/// stdout and stderr captured through pipes, a timeout that kills a hung tool.
package enum ToolRunner {
    /// Why a tool could not be run.
    package struct Failure: Error, CustomStringConvertible {
        /// What failed.
        package let description: String
        /// Creates a failure saying what failed.
        package init(description: String) { self.description = description }
    }

    /// The folder holding the built tools: `USBIP_TOOL_DIR` if set, else the folder of the running test bundle
    /// (`/proc/self/exe`, e.g. `.build/debug/usbip-swiftPackageTests.xctest` → `.build/debug`), where SwiftPM puts
    /// the executables it builds with `--build-tests`.
    package static let directory: String = {
        if let override = getenv("USBIP_TOOL_DIR") { return String(cString: override) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = exe.lastIndex(of: "/") else { return "." }
        return String(exe[..<slash])
    }()

    /// The path of a built tool; a `tool` containing `/` (e.g. `/bin/bash`) is taken as it is.
    package static func path(of tool: String) -> String { tool.contains("/") ? tool : directory + "/" + tool }

    /// Runs `tool` (a built tool's name, or a path) with `arguments` and waits for it (at most `timeout` seconds,
    /// then it is killed and the result has status 128 + 9).
    package static func run(_ tool: String, _ arguments: [String], timeout: Int = 30) throws -> ToolResult {
        let executable = path(of: tool)
        guard access(executable, X_OK) == 0 else {
            throw Failure(description: "\(executable) is not an executable: build it first (swift build --build-tests)")
        }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw Failure(description: "pipe: errno \(errno)")
        }
        // Close-on-exec, so that tools spawned at the same time by other tests do not inherit these ends
        // (pipe2 is GNU-only and not imported). The dup2 onto 1 and 2 in the child clears the flag there.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw Failure(description: "posix_spawn \(executable): errno \(rc)")
        }

        let (out, err, timedOut) = drain(outPipe[0], errPipe[0], timeout: timeout)
        close(outPipe[0])
        close(errPipe[0])
        if timedOut { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (glibc macros).
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return ToolResult(
            status: code,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self) + (timedOut ? "\n[ToolRunner: killed after \(timeout) s]\n" : "")
        )
    }

    /// Reads both pipes to end of file (with `poll`, so neither can fill up and block the tool).
    private static func drain(_ outFD: Int32, _ errFD: Int32, timeout: Int) -> ([UInt8], [UInt8], Bool) {
        var out: [UInt8] = []
        var err: [UInt8] = []
        var open = [outFD, errFD]
        var chunk = [UInt8](repeating: 0, count: 16384)
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while !open.isEmpty {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let elapsedMS = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1_000_000
            let leftMS = timeout * 1000 - elapsedMS
            if leftMS <= 0 { return (out, err, true) }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(leftMS, 1000)))
            if ready < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if entry.fd == outFD { out += chunk[0..<n] } else { err += chunk[0..<n] }
                } else if n == 0 || errno != EINTR {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        return (out, err, false)
    }
}

/// Runs the built `usbip` with `arguments` (see ``ToolRunner/run(_:_:timeout:)``).
package func runTool(_ arguments: [String], tool: String = "usbip") throws -> ToolResult {
    try ToolRunner.run(tool, arguments)
}

/// Runs the built `usbip` with `arguments`.
package func runTool(_ arguments: String...) throws -> ToolResult {
    try ToolRunner.run("usbip", arguments)
}
