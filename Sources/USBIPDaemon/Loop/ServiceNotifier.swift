#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// systemd's readiness protocol without libsystemd: one datagram such as `READY=1` to the `AF_UNIX` socket named by
/// `$NOTIFY_SOCKET` (a leading `@` means the abstract namespace).
package enum ServiceNotifier {
    /// Sends `state` to `socketPath` (default: `$NOTIFY_SOCKET`). Returns `false` when there is no socket to tell or
    /// sending failed; a daemon not started by systemd simply has none.
    @discardableResult
    package static func notify(_ state: String, socketPath: String? = nil) -> Bool {
        let path: String
        if let socketPath {
            path = socketPath
        } else if let value = getenv("NOTIFY_SOCKET") {
            path = String(cString: value)
        } else {
            return false
        }
        var bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes[0] == UInt8(ascii: "/") || bytes[0] == UInt8(ascii: "@") else { return false }
        var address = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        let abstract = bytes[0] == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
        // Abstract names are exactly as long as given; filesystem paths end at their NUL.
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { _ = close(fd) }
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { raw in
                    sendto(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), sa, socklen_t(length))
                }
            }
        }
        return sent == message.count
    }
}
