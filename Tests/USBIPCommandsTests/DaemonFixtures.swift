import USBIPTestSupport

/// What the process-level daemon tests share: fixture trees on which the built daemons start, and requests
/// that tell a running daemon from one that ended. Each test has a TCP port of its own (3293-3299).
enum DaemonFixtures {
    /// A sysfs tree where usbipd finds usbip-host loaded (no device bound: DEVLIST answers 0 devices).
    static func usbipdFixture() throws -> SysfsFixture { try SysfsFixture(.usbipHost()) }

    /// A sysfs tree where usbipa finds vhci_hcd (4 free ports).
    static func usbipaFixture() throws -> SysfsFixture {
        var status = "hub port sta spd dev      sockfd local_busid\n"
        for port in 0..<4 {
            status += "\(port < 2 ? "hs" : "ss")  000\(port) 004 000 00000000 000000 0-0\n"
        }
        return try SysfsFixture(.vhci(nports: 4, status: [status]))
    }

    /// An empty OP_REP_DEVLIST: usbipd's answer on a tree with no device bound.
    static let emptyDevList: [UInt8] = [0x01, 0x11, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0, 0]
    /// usbipa's OP_REP_UNEXPORT for a device it never attached: status 3 (ST_DEVICE_NOT_FOUND).
    static let unexportNotFound: [UInt8] = [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 3]

    /// Whether `daemon` answers a request on `port` as a running daemon does.
    static func answers(_ daemon: String, port: UInt16) -> Bool {
        if daemon == "usbipd" { return LoopbackClient.exchange(port: port, LoopbackClient.devListRequest) == emptyDevList }
        return LoopbackClient.exchange(port: port, LoopbackClient.unexportRequest(busid: "1-1")) == unexportNotFound
    }
}
