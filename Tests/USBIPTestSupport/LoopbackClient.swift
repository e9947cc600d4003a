#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import USBIPNet

/// A management client on 127.0.0.1 for tests of a daemon process: one request, everything the daemon sends
/// until it closes; or a request followed by a reset.
package enum LoopbackClient {
    /// `OP_REQ_DEVLIST`.
    package static let devListRequest: [UInt8] = [0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0]

    /// `OP_REQ_UNEXPORT` of bus id `busid` (the rest of the device record zero).
    package static func unexportRequest(busid: String) -> [UInt8] {
        var record = [UInt8](repeating: 0, count: 312)
        for (index, byte) in busid.utf8.enumerated() where index < 31 { record[256 + index] = byte }
        return [0x01, 0x11, 0x80, 0x07, 0, 0, 0, 0] + record
    }

    /// Connects to `port`, sends `request` and returns every byte received until the daemon closes (at most
    /// `seconds`); `nil` when the connection cannot be made.
    package static func exchange(port: UInt16, _ request: [UInt8], seconds: Int = 5) -> [UInt8]? {
        guard let connection = try? TCPConnection.connect(host: "127.0.0.1", port: String(port), timeout: seconds)
        else { return nil }
        defer { connection.close() }
        connection.setDeadline(seconds: seconds)
        guard (try? connection.write(request, operation: "send")) != nil else { return nil }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { result += buffer[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            return result
        }
    }

    /// Whether something accepts connections on `port`.
    package static func isListening(port: UInt16) -> Bool {
        guard let connection = try? TCPConnection.connect(host: "127.0.0.1", port: String(port), timeout: 2)
        else { return false }
        connection.close()
        return true
    }

    /// Connects to `port`, sends `request`, then closes with a zero linger time: the daemon's side sees a reset
    /// (`ECONNRESET`, `EPIPE`) instead of an orderly end.
    package static func sendAndReset(port: UInt16, _ request: [UInt8]) {
        guard let connection = try? TCPConnection.connect(host: "127.0.0.1", port: String(port), timeout: 2)
        else { return }
        _ = try? connection.write(request, operation: "send")
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        connection.close()
    }
}
