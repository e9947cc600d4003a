#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
import USBIPNet
import USBIPTestSupport
import USBIPTCPWrappers

/// `TCPWrappersPolicy` against a real loopback TCP connection, with libwrap pointed at temporary rule files.
/// libwrap's tables are process globals: the suite is serialized and restores the system files afterwards.
@Suite(.serialized) struct TCPWrappersPolicyTests {
    /// A connected loopback pair; `accepted` is the server side, as the daemon sees it after `accept()`.
    final class LoopbackConnection {
        let listener: Int32
        let client: Int32
        let accepted: Int32

        init() throws {
            func check(_ result: Int32, _ what: String) throws {
                if result < 0 { throw ToolRunner.Failure(description: "\(what): errno \(errno)") }
            }
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            try check(listener, "socket")
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try check(withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
            }, "bind")
            try check(listen(listener, 1), "listen")
            try check(withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
            }, "getsockname")
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            try check(client, "socket")
            try check(withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) }
            }, "connect")
            let accepted = accept(listener, nil, nil)
            try check(accepted, "accept")
            self.listener = listener
            self.client = client
            self.accepted = accepted
        }

        deinit {
            close(accepted)
            close(client)
            close(listener)
        }
    }

    /// Runs `body` with libwrap reading these rules, then points it back at the system files.
    func withRules(allow: String, deny: String, _ body: () throws -> Void) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        TCPWrappersPolicy.useTables(allow: try folder.write("hosts.allow", allow), deny: try folder.write("hosts.deny", deny))
        defer { TCPWrappersPolicy.useTables(allow: "/etc/hosts.allow", deny: "/etc/hosts.deny") }
        try body()
    }

    @Test func denyAllRefuses() throws {
        let connection = try LoopbackConnection()
        try withRules(allow: "", deny: "usbipd: ALL\n") {
            #expect(!TCPWrappersPolicy(daemonName: "usbipd").permits(socket: connection.accepted))
        }
    }

    @Test func allowRuleWinsOverDenyAll() throws {
        let connection = try LoopbackConnection()
        try withRules(allow: "usbipd: 127.0.0.1\n", deny: "usbipd: ALL\n") {
            #expect(TCPWrappersPolicy(daemonName: "usbipd").permits(socket: connection.accepted))
        }
        try withRules(allow: "usbipd: 10.0.0.1\n", deny: "usbipd: ALL\n") {
            #expect(!TCPWrappersPolicy(daemonName: "usbipd").permits(socket: connection.accepted))
        }
    }

    @Test func rulesForAnotherDaemonDoNotApply() throws {
        let connection = try LoopbackConnection()
        try withRules(allow: "", deny: "usbipa: ALL\n") {
            #expect(TCPWrappersPolicy(daemonName: "usbipd").permits(socket: connection.accepted))
            #expect(!TCPWrappersPolicy(daemonName: "usbipa").permits(socket: connection.accepted))
        }
    }

    @Test func allowAllPermitsEveryone() throws {
        let connection = try LoopbackConnection()
        #expect(AllowAllPolicy().permits(socket: connection.accepted))
    }
}
