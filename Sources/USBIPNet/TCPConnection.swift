#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
package import USBIPSupport

/// A blocking TCP connection for the management PDUs: exact-size reads, `MSG_NOSIGNAL` writes, deadlines
/// through `SO_RCVTIMEO`/`SO_SNDTIMEO`, close-on-exec.
///
/// After a successful import or export the socket is handed to the kernel (usbip-host's `usbip_sockfd` or
/// vhci_hcd's `attach`), which takes its own reference; ``close()`` then drops ours. Never `shutdown()` it.
package final class TCPConnection {
    /// The socket descriptor (valid until ``close()``).
    package private(set) var fd: Int32
    /// The peer, when known.
    package let peer: SocketAddress?

    /// Wraps a connected socket; the connection owns and closes it.
    package init(adopting fd: Int32) {
        self.fd = fd
        self.peer = SocketAddress.peer(of: fd)
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Closes our descriptor. Safe to call twice.
    package func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    // MARK: - Connecting

    /// Connects to `host:port` trying every address `getaddrinfo` returns, each within `timeout` seconds;
    /// sets `TCP_NODELAY` and `SO_KEEPALIVE` (they stay in force when the kernel takes the socket over).
    package static func connect(host: String, port: String, timeout seconds: Int = 10) throws(USBIPError)
        -> TCPConnection
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, port, &hints, &list)
        guard rc == 0, let first = list else {
            let reason = String(cString: gai_strerror(rc))
            throw .resolveFailed(host: host, port: port, reason: reason)
        }
        defer { freeaddrinfo(list) }

        var lastErrno: Errno = .connectionRefused
        var timedOut = false
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 {
                lastErrno = Errno(rawValue: errno)
                continue
            }
            switch connectWithin(fd: fd, address: info.pointee.ai_addr, length: info.pointee.ai_addrlen, seconds: seconds) {
            case .success:
                let connection = TCPConnection(adopting: fd)
                connection.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
                connection.setOption(SOL_SOCKET, SO_KEEPALIVE, 1)
                return connection
            case .failure(let error):
                _ = Glibc.close(fd)
                if error == .timedOut { timedOut = true } else { lastErrno = error }
            }
        }
        if timedOut { throw .connectTimedOut(host: host, port: port, seconds: seconds) }
        throw .connectFailed(host: host, port: port, errno: lastErrno)
    }

    /// Non-blocking connect bounded by `poll`, then back to blocking mode.
    private static func connectWithin(fd: Int32, address: UnsafeMutablePointer<sockaddr>?, length: socklen_t, seconds: Int)
        -> Result<Void, Errno>
    {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, address, length) == 0 { return .success(()) }
        guard errno == EINPROGRESS else { return .failure(Errno(rawValue: errno)) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let deadline = monotonicMilliseconds() + Int64(seconds) * 1000
        while true {
            let remaining = max(0, deadline - monotonicMilliseconds())
            let n = poll(&pfd, 1, Int32(clamping: remaining))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(Errno(rawValue: errno)) }
            if n == 0 { return .failure(.timedOut) }
            break
        }
        var soError: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
        return soError == 0 ? .success(()) : .failure(Errno(rawValue: soError))
    }

    // MARK: - Options

    /// Sets an integer socket option, ignoring failure (options are best effort, as in the C tools).
    @discardableResult
    package func setOption(_ level: Int32, _ name: Int32, _ value: Int32) -> Bool {
        var v = value
        return setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    /// Bounds every later read and write: a silent or stalled peer fails the operation after `seconds`.
    package func setDeadline(seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Removes the deadlines (before handing the socket to the kernel, which must not inherit them).
    package func clearDeadline() { setDeadline(seconds: 0) }

    /// Enables TCP keepalive with the given idle time, probe interval and probe count (`TCP_KEEPIDLE`,
    /// `TCP_KEEPINTVL`, `TCP_KEEPCNT`); `nil` keeps the kernel default.
    package func setKeepalive(idle: Int32?, interval: Int32?, count: Int32?) {
        setOption(SOL_SOCKET, SO_KEEPALIVE, 1)
        if let idle { setOption(Int32(IPPROTO_TCP), TCP_KEEPIDLE, idle) }
        if let interval { setOption(Int32(IPPROTO_TCP), TCP_KEEPINTVL, interval) }
        if let count { setOption(Int32(IPPROTO_TCP), TCP_KEEPCNT, count) }
    }

    // MARK: - I/O

    /// Reads exactly `count` bytes; the peer closing or the deadline passing first is an error naming `operation`.
    package func read(exactly count: Int, operation: String) throws(USBIPError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                recv(fd, raw.baseAddress?.advanced(by: got), count - got, Int32(MSG_WAITALL))
            }
            if n > 0 {
                got += n
                continue
            }
            if n == 0 { throw .peerClosed(operation: operation) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .peerClosed(operation: operation) }
            throw .socket(operation: operation, errno: Errno(rawValue: errno))
        }
        return buffer
    }

    /// Writes all of `bytes` (`MSG_NOSIGNAL`: a closed peer is an error, not SIGPIPE).
    package func write(_ bytes: [UInt8], operation: String) throws(USBIPError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress?.advanced(by: sent), bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n >= 0 {
                sent += n
                continue
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .peerClosed(operation: operation) }
            throw .socket(operation: operation, errno: Errno(rawValue: errno))
        }
    }
}

/// Milliseconds on the monotonic clock (`CLOCK_MONOTONIC`): deadlines of connections and of the daemon loop.
package func monotonicMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
