#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Runs a built tool with its own `/dev/log`: in a private mount namespace (`unshare --mount`), a tmpfs on
/// `/dev` with this capture's datagram socket bind-mounted at `/dev/log`, so what the tool sends to syslog(3)
/// arrives here and nowhere else. Needs root and `unshare` (util-linux); see ``isAvailable``.
package final class SyslogCapture {
    /// The `unshare` the runs go through.
    package static let unshare = "/usr/bin/unshare"

    /// Whether captures can work here: root, and `unshare` present.
    package static var isAvailable: Bool { geteuid() == 0 && access(unshare, X_OK) == 0 }

    private let folder: TemporaryFolder
    private let socketPath: String
    private let fd: Int32

    /// A capture socket in a fresh temporary folder.
    package init() throws {
        folder = try TemporaryFolder()
        socketPath = folder.path + "/log"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ToolRunner.Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else { throw ToolRunner.Failure(description: "bind \(socketPath): errno \(errno)") }
    }

    deinit {
        close(fd)
        folder.remove()
    }

    /// Runs `tool` with `arguments` with this capture as its `/dev/log` and waits for it.
    package func run(_ tool: String, _ arguments: [String]) throws -> ToolResult {
        let script = "mount -t tmpfs tmpfs /dev && : > /dev/log && mount --bind \"$0\" /dev/log && exec \"$@\""
        return try ToolRunner.run(
            Self.unshare,
            ["--mount", "--propagation", "private", "/bin/sh", "-c", script, socketPath, ToolRunner.path(of: tool)]
                + arguments)
    }

    /// The messages received so far (whole datagrams such as `<14>Dec  2 10:00:00 usbip[42]: …`), oldest first.
    package func messages() -> [String] {
        var result: [String] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { result.append(String(decoding: buffer[0..<n], as: UTF8.self)); continue }
            if n < 0 && errno == EINTR { continue }
            return result
        }
    }
}
