import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

/// The single-write operations of usbip-host: exact bytes, parsing, and the missing-driver error.
@Suite struct HostDriverTests {
    static let busid = BusID("2-1")!  // swiftlint:disable:this force_unwrapping
    static let devicePath = "devices/pci0000:00/0000:00:05.0/usb2/2-1"

    static func fixture(_ extra: SysfsFixture.Entry...) throws -> SysfsFixture {
        try SysfsFixture(
            [
                .usbipHost(),
                .device("2-1", path: devicePath, attributes: ["bDeviceClass": "00\n"], driver: "usbip-host"),
            ] + extra
        )
    }

    @Test func isLoadedFollowsTheDriverDirectory() throws {
        try withSysfsFixture([.usbipHost()]) { #expect(HostDriver(sysfs: $0.sysfs).isLoaded) }
        try withSysfsFixture([.usbDriver()]) { #expect(!HostDriver(sysfs: $0.sysfs).isLoaded) }
    }

    @Test(arguments: [
        ("add", "bus/usb/drivers/usbip-host/match_busid", "add 2-1"),
        ("del", "bus/usb/drivers/usbip-host/match_busid", "del 2-1"),
        ("bind", "bus/usb/drivers/usbip-host/bind", "2-1"),
        ("unbind", "bus/usb/drivers/usbip-host/unbind", "2-1"),
        ("rebind", "bus/usb/drivers/usbip-host/rebind", "2-1"),
        ("sockfd", "bus/usb/devices/2-1/usbip_sockfd", "7\n"),
    ])
    func writesExactBytes(operation: String, path: String, expected: String) throws {
        let fixture = try Self.fixture(.file(Self.devicePath + "/usbip_sockfd", ""))
        defer { fixture.remove() }
        let driver = HostDriver(sysfs: fixture.sysfs)
        switch operation {
        case "add": try driver.addMatch(Self.busid)
        case "del": try driver.removeMatch(Self.busid)
        case "bind": try driver.bindDriver(Self.busid)
        case "unbind": try driver.unbindDriver(Self.busid)
        case "rebind": try driver.rebind(Self.busid)
        default: try driver.handOver(socket: 7, to: Self.busid)
        }
        #expect(fixture.contents(of: path) == expected)
    }

    @Test func handOverWritesNegativeOneToStop() throws {
        let fixture = try Self.fixture(.file(Self.devicePath + "/usbip_sockfd", ""))
        defer { fixture.remove() }
        try HostDriver(sysfs: fixture.sysfs).handOver(socket: -1, to: Self.busid)
        #expect(fixture.contents(of: Self.devicePath + "/usbip_sockfd") == "-1\n")
    }

    @Test(arguments: [("2-1 \n", ["2-1"]), ("\n", []), ("2-1 3-1.4 1-1 \n", ["2-1", "3-1.4", "1-1"]), ("", [])])
    func matchBusIDsParsesTheKernelList(text: String, expected: [String]) throws {
        let fixture = try Self.fixture(.file("bus/usb/drivers/usbip-host/match_busid", text))
        defer { fixture.remove() }
        #expect(try HostDriver(sysfs: fixture.sysfs).matchBusIDs().map(\.rawValue) == expected)
    }

    @Test func capturedMatchTableAndStatusParse() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached")
        defer { fixture.remove() }
        let driver = HostDriver(sysfs: fixture.sysfs)
        #expect(try driver.matchBusIDs() == [Self.busid])
        #expect(try driver.status(of: Self.busid) == .used)
    }

    @Test func malformedMatchTableIsReported() throws {
        let fixture = try Self.fixture(.file("bus/usb/drivers/usbip-host/match_busid", "2-1 a/b \n"))
        defer { fixture.remove() }
        let error = #expect(throws: USBIPError.self) { try HostDriver(sysfs: fixture.sysfs).matchBusIDs() }
        guard case .malformedAttribute(let path, _)? = error else {
            Issue.record("expected .malformedAttribute, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/bus/usb/drivers/usbip-host/match_busid")
    }

    @Test(arguments: [
        ("1\n", ExportStatus.available), ("2\n", .used), ("3\n", .error), ("3", .error), (" 1 \n", .available),
    ])
    func statusReadsTheNumber(text: String, expected: ExportStatus) throws {
        let fixture = try Self.fixture(.file(Self.devicePath + "/usbip_status", text))
        defer { fixture.remove() }
        #expect(try HostDriver(sysfs: fixture.sysfs).status(of: Self.busid) == expected)
    }

    /// Trailing junk is refused as usbip-vudc's `usbip_status` is (one parser for both, SysfsAttributeFormat).
    @Test(arguments: ["", "x\n", "0\n", "4\n", "-1\n", "99999999999999999999\n", "1 x\n", "2x\n"])
    func malformedStatusIsAnErrorNotATrap(_ text: String) throws {
        let fixture = try Self.fixture(.file(Self.devicePath + "/usbip_status", text))
        defer { fixture.remove() }
        let error = #expect(throws: USBIPError.self) { try HostDriver(sysfs: fixture.sysfs).status(of: Self.busid) }
        guard case .malformedAttribute(let path, _)? = error else {
            Issue.record("expected .malformedAttribute, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/bus/usb/devices/2-1/usbip_status")
    }

    @Test func statusOfAnUnboundDeviceIsASysfsError() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let error = #expect(throws: USBIPError.self) { try HostDriver(sysfs: fixture.sysfs).status(of: Self.busid) }
        #expect(error?.sysfsErrnoForTests == .noSuchFileOrDirectory)
    }

    @Test(arguments: ["match", "add", "del", "bind", "unbind", "rebind", "status", "sockfd", "bindSeq", "unbindSeq"])
    func everyOperationNeedsTheDriver(_ operation: String) throws {
        let fixture = try SysfsFixture(
            .usbDriver(),
            .device("2-1", path: Self.devicePath, attributes: ["usbip_status": "1\n", "usbip_sockfd": ""],
                    driver: "usb")
        )
        defer { fixture.remove() }
        let driver = HostDriver(sysfs: fixture.sysfs)
        let error = #expect(throws: USBIPError.driverNotLoaded(.usbipHost)) {
            switch operation {
            case "match": _ = try driver.matchBusIDs()
            case "add": try driver.addMatch(Self.busid)
            case "del": try driver.removeMatch(Self.busid)
            case "bind": try driver.bindDriver(Self.busid)
            case "unbind": try driver.unbindDriver(Self.busid)
            case "rebind": try driver.rebind(Self.busid)
            case "status": _ = try driver.status(of: Self.busid)
            case "sockfd": try driver.handOver(socket: 3, to: Self.busid)
            case "bindSeq": try driver.bind(Self.busid, logger: quietLogger)
            default: try driver.unbind(Self.busid, logger: quietLogger)
            }
        }
        #expect(error?.description == "usbip-host is not loaded: run 'modprobe usbip-host'")
        #expect(fixture.contents(of: "bus/usb/drivers/usb/unbind") == "")
        #expect(fixture.contents(of: Self.devicePath + "/usbip_sockfd") == "")
    }

    @Test func writeErrorsKeepTheErrnoAndKernelPath() throws {
        let fixture = try Self.fixture(.directory("bus/usb/drivers/usbip-host/bind"))
        defer { fixture.remove() }
        let error = #expect(throws: USBIPError.self) { try HostDriver(sysfs: fixture.sysfs).bindDriver(Self.busid) }
        guard case .sysfs(_, let path, let errno)? = error else {
            Issue.record("expected .sysfs, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/bus/usb/drivers/usbip-host/bind")
        #expect(errno == .isDirectory)
    }

    @Test func localDevicesSkipHubsAndInterfaces() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached")
        defer { fixture.remove() }
        let driver = HostDriver(sysfs: fixture.sysfs)
        #expect(driver.localDevices().map(\.rawValue) == ["1-2", "2-1", "4-1"])
        #expect(driver.currentDriver(of: Self.busid) == "usbip-host")
        #expect(driver.currentDriver(of: try #require(BusID("1-2"))) == "usb")
    }
}
