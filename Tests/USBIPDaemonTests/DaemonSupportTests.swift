#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
import USBIPSupport
import USBIPDaemon

@Suite(.serialized) struct DaemonSupportTests {
    static func temporaryPath(_ name: String) -> String { "/tmp/usbipd-test-\(getpid())-\(name)" }

    /// Binds an AF_UNIX datagram socket at `name` (abstract when it starts with `@`).
    static func bindDatagram(_ name: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        precondition(rc == 0)
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    @Test(arguments: ["path", "@abstract"])
    func notifyReachesTheSocket(_ kind: String) {
        let name = kind == "path" ? Self.temporaryPath("notify") : "@usbipd-test-\(getpid())-notify"
        unlink(name)
        let fd = Self.bindDatagram(name)
        defer {
            close(fd)
            if kind == "path" { unlink(name) }
        }
        #expect(ServiceNotifier.notify("READY=1", socketPath: name))
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        #expect(n == 7)
        #expect(String(decoding: buffer.prefix(max(0, n)), as: UTF8.self) == "READY=1")
    }

    @Test func notifyWithoutASocketReportsFalse() {
        #expect(!ServiceNotifier.notify("READY=1", socketPath: "relative/path"))
        #expect(!ServiceNotifier.notify("READY=1", socketPath: Self.temporaryPath("absent")))
    }
}
