#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A numeric socket address as the tools print and record it: host (`127.0.0.1`, `::1`) and port.
///
/// This file is the one place that touches `sockaddr_storage`; nothing here reaches the wire codec.
package struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The numeric host (`getnameinfo(NI_NUMERICHOST)`).
    package let host: String
    /// The port number.
    package let port: UInt16

    /// Wraps a host and port.
    package init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, as the C daemon logs connections (`connection from 127.0.0.1:40000`, `listening on :::3240`).
    package var description: String { "\(host):\(port)" }

    /// Converts a raw socket address (from accept, getpeername, getaddrinfo) into numeric host and port.
    static func from(_ storage: UnsafePointer<sockaddr>, length: socklen_t) -> SocketAddress? {
        var hostBuffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var serviceBuffer = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = getnameinfo(
            storage, length, &hostBuffer, socklen_t(hostBuffer.count), &serviceBuffer,
            socklen_t(serviceBuffer.count), NI_NUMERICHOST | NI_NUMERICSERV)
        guard rc == 0 else { return nil }
        let host = String(decoding: hostBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let service = String(
            decoding: serviceBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return SocketAddress(
            host: host, port: UInt16(service) ?? 0)
    }

    /// The address of the peer of a connected socket.
    static func peer(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                guard getpeername(fd, address, &length) == 0 else { return nil }
                return SocketAddress.from(address, length: length)
            }
        }
    }

    /// The local address of a socket.
    static func local(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                guard getsockname(fd, address, &length) == 0 else { return nil }
                return SocketAddress.from(address, length: length)
            }
        }
    }
}
