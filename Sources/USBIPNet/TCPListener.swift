#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
package import SystemPackage
package import USBIPSupport

/// Which address families a daemon listens on (`-4`, `-6`, or both by default).
package enum ListenFamily: Sendable {
    /// IPv4 and IPv6 on separate sockets (IPv6 with `IPV6_V6ONLY`).
    case both
    /// IPv4 only (`-4/--ipv4`).
    case ipv4
    /// IPv6 only (`-6/--ipv6`).
    case ipv6
}

/// A listening TCP socket of a daemon: `SO_REUSEADDR`, `TCP_NODELAY`, `IPV6_V6ONLY` on IPv6, close-on-exec.
package final class TCPListener {
    /// The listening descriptor.
    package private(set) var fd: Int32
    /// The local address it listens on (`0.0.0.0:3240`, `:::3240`).
    package let address: SocketAddress

    private init(fd: Int32, address: SocketAddress) {
        self.fd = fd
        self.address = address
    }

    deinit { close() }

    /// Closes the listening socket. Safe to call twice.
    package func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// Opens one listener per address `getaddrinfo(NULL, port, AI_PASSIVE)` gives for `family` (as usbipd does).
    /// Returns the listeners and one line per address that failed; throws when none could be opened.
    package static func open(port: UInt16, family: ListenFamily, host: String? = nil) throws(USBIPError)
        -> (listeners: [TCPListener], failures: [String])
    {
        var hints = addrinfo()
        switch family {
        case .both: hints.ai_family = AF_UNSPEC
        case .ipv4: hints.ai_family = AF_INET
        case .ipv6: hints.ai_family = AF_INET6
        }
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolveFailed(host: host ?? "*", port: String(port), reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }

        var listeners: [TCPListener] = []
        var failures: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let printable = SocketAddress.from(info.pointee.ai_addr, length: info.pointee.ai_addrlen)
                .map(String.init(describing:)) ?? "?"
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                failures.append("socket: \(printable): \(Errno(rawValue: errno))")
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if info.pointee.ai_family == AF_INET6 {
                setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                failures.append("bind: \(printable): \(Errno(rawValue: errno))")
                _ = Glibc.close(fd)
                continue
            }
            if listen(fd, SOMAXCONN) != 0 {
                failures.append("listen: \(printable): \(Errno(rawValue: errno))")
                _ = Glibc.close(fd)
                continue
            }
            let bound = SocketAddress.local(of: fd) ?? SocketAddress(host: "?", port: port)
            listeners.append(TCPListener(fd: fd, address: bound))
        }
        if listeners.isEmpty {
            throw .listenFailed(port: port, failures: failures)
        }
        return (listeners, failures)
    }

    /// Accepts one connection (`accept4(SOCK_CLOEXEC)`), or `nil` when none is pending or the call failed
    /// transiently (EAGAIN, ECONNABORTED, EINTR, EMFILE); the errno of a failure is returned for logging.
    package func accept() -> Result<TCPConnection, Errno> {
        let fd = cshims_accept4(self.fd, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
        return .success(TCPConnection(adopting: fd))
    }
}
