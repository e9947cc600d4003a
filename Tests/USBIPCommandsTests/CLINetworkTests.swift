#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPNet
import USBIPTestSupport

/// `list -r` and `attach` against a tiny in-test server on 127.0.0.1 that replays captured wire bytes.
@Suite struct CLINetworkTests {
    /// A one-connection server on 127.0.0.1 (ephemeral port): reads a request of `requestSize` bytes, answers
    /// `reply`, closes. The request it got is kept for the test to check.
    final class ReplayServer: @unchecked Sendable {
        let port: UInt16
        private let listener: TCPListener
        private var thread: TestThread?
        private(set) var request: [UInt8] = []

        init(reply: [UInt8], requestSize: Int) throws {
            let (listeners, _) = try TCPListener.open(port: 0, family: .ipv4, host: "127.0.0.1")
            guard let listener = listeners.first else { throw ToolRunner.Failure(description: "no listener") }
            self.listener = listener
            port = listener.address.port
            // accept() gives up after 20 s if the tool never connects (SO_RCVTIMEO applies to accept).
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(listener.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            thread = try TestThread { [self] in
                guard case .success(let connection) = self.listener.accept() else { return }
                connection.setDeadline(seconds: 20)
                self.request = (try? connection.read(exactly: requestSize, operation: "request")) ?? []
                try? connection.write(reply, operation: "reply")
                connection.close()
            }
        }

        /// Waits for the server thread and closes the listener.
        func finish() {
            thread?.join()
            listener.close()
        }
    }

    @Test func listRemoteEqualsC() throws {
        let server = try ReplayServer(reply: try Hex.fixture("outputs/wire-devlist.hex"), requestSize: 8)
        let result = try runTool(["-t", String(server.port), "list", "-r", "127.0.0.1"])
        server.finish()
        // list-r.stdout was captured with host 127.0.0.1 on port 3240; the port is not part of the output.
        #expect(result == ToolResult(status: 0, stdout: try CLIGoldenTests.golden("list-r.stdout"), stderr: ""))
        // OP_REQ_DEVLIST: version 0x0111, code 0x8005, status 0.
        #expect(server.request == [0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0])
    }

    @Test func listRemoteOfAClosedPortFails() throws {
        let port = try Self.closedPort()
        let result = try runTool(["-t", String(port), "list", "-r", "127.0.0.1"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("usbip: error: "), "\(result)")
    }

    @Test func attachToAClosedPortFails() throws {
        let port = try Self.closedPort()
        let fixture = try SysfsFixture.copy(of: "sysfs-idle")
        defer { fixture.remove() }
        let result = try runTool([
            "--sysfs-root", fixture.root.string, "-t", String(port), "attach", "-r", "127.0.0.1", "-b", "2-1",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("usbip: error: cannot connect to 127.0.0.1:\(port)"), "\(result)")
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/attach") == "")
    }

    /// A port on 127.0.0.1 nothing listens on: bound to find it free, then closed.
    static func closedPort() throws -> UInt16 {
        let (listeners, _) = try TCPListener.open(port: 0, family: .ipv4, host: "127.0.0.1")
        guard let listener = listeners.first else { throw ToolRunner.Failure(description: "no listener") }
        let port = listener.address.port
        listener.close()
        return port
    }
}
