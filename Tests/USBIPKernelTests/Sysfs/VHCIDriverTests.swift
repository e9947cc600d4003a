import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

@Suite struct VHCIDriverTests {
    /// One controller, two ports per hub: hs 0 and 1, ss 2 and 3, with the given statuses.
    static func smallStatus(hs0: Int = 4, hs1: Int = 4, ss2: Int = 4, ss3: Int = 4) -> String {
        func line(_ hub: String, _ port: Int, _ status: Int) -> String {
            let number = String(repeating: "0", count: 4 - String(port).count) + String(port)
            if status == 6 { return "\(hub)  \(number) 006 003 00010002 000005 3-\(port + 1)\n" }
            return "\(hub)  \(number) 00\(status) 000 00000000 000000 0-0\n"
        }
        return "hub port sta spd dev      sockfd local_busid\n"
            + line("hs", 0, hs0) + line("hs", 1, hs1) + line("ss", 2, ss2) + line("ss", 3, ss3)
    }

    static func smallFixture(_ status: String = smallStatus()) throws -> SysfsFixture {
        try SysfsFixture(.vhci(nports: 4, status: [status]))
    }

    // MARK: - Location

    @Test(arguments: [
        ("devices/platform/vhci_hcd.0", "devices/platform/vhci_hcd.", 3),
        ("devices/faux/vhci_hcd.0", "devices/faux/vhci_hcd.", 2),
        ("devices/platform/vhci_hcd", "devices/platform/vhci_hcd.", 2),
    ])
    func locatesControllerZero(path: String, siblingPrefix: String, count: Int) throws {
        let fixture = try SysfsFixture(
            .vhci(path: path, nports: 8 * count, status: [smallStatusText()], extraControllers: count - 1),
            .directory("devices/platform/usbip-vudc.0")  // a non-vhci sibling is not counted
        )
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(driver.controllerPath == path)
        #expect(driver.controllerCount == count)
        #expect(fixture.exists(siblingPrefix + "1"))
        #expect(try driver.nports() == 8 * count)
    }

    func smallStatusText() -> String { Self.smallStatus() }

    @Test func platformIsPreferredOverFauxAndLegacy() throws {
        let fixture = try SysfsFixture(
            .vhci(path: "devices/faux/vhci_hcd.0", nports: 4, status: [Self.smallStatus()]),
            .vhci(path: "devices/platform/vhci_hcd", nports: 4, status: [Self.smallStatus()]),
            .vhci(path: "devices/platform/vhci_hcd.0", nports: 4, status: [Self.smallStatus()])
        )
        defer { fixture.remove() }
        #expect(try VHCIDriver(sysfs: fixture.sysfs).controllerPath == "devices/platform/vhci_hcd.0")
    }

    @Test func missingDriverSaysWhichModuleToLoad() throws {
        let fixture = try SysfsFixture(.directory("devices/platform/usbip-vudc.0"))
        defer { fixture.remove() }
        let error = #expect(throws: USBIPError.driverNotLoaded(.vhciHCD)) { try VHCIDriver(sysfs: fixture.sysfs) }
        #expect(error?.description == "vhci_hcd is not loaded: run 'modprobe vhci-hcd'")
    }

    @Test func capturedTreeHasEightControllersAndTwoHundredFortyPorts() throws {
        let driver = try VHCIDriver(sysfs: Sysfs(root: Fixtures.path("sysfs-attached/sys")))
        #expect(driver.controllerPath == "devices/platform/vhci_hcd.0")
        #expect(driver.controllerCount == 8)
        #expect(try driver.nports() == 240)
        let ports = try driver.ports()
        #expect(ports.map(\.port) == Array(0..<240))
        #expect(ports.filter(\.isInUse).map(\.port) == [15])
        #expect(try driver.freePort(for: .super) == 16)
        #expect(try driver.freePort(for: .superPlus) == 16)
        #expect(try driver.freePort(for: .high) == 0)
    }

    @Test func missingStatusFileOfAnotherControllerIsAnError() throws {
        let fixture = try SysfsFixture(.vhci(nports: 8, status: [Self.smallStatus()], extraControllers: 1))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        let error = #expect(throws: USBIPError.self) { try driver.ports() }
        guard case .sysfs(_, let path, let errno)? = error else {
            Issue.record("expected .sysfs, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/devices/platform/vhci_hcd.0/status.1")
        #expect(errno == .noSuchFileOrDirectory)
    }

    @Test(arguments: ["", "abc\n", "-1\n", "99999999999\n"])
    func malformedNportsIsReported(_ text: String) throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.smallStatus()]))
        defer { fixture.remove() }
        try fixture.add(.file("devices/platform/vhci_hcd.0/nports", text))
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        let error = #expect(throws: USBIPError.self) { try driver.nports() }
        guard case .malformedAttribute? = error else {
            Issue.record("expected .malformedAttribute, got \(String(describing: error))")
            return
        }
    }

    // MARK: - Free port choice

    @Test(arguments: [
        (USBSpeed.unknown, 1), (.low, 1), (.full, 1), (.high, 1), (.wireless, 1), (.super, 3), (.superPlus, 3),
    ])
    func freePortDependsOnSpeed(speed: USBSpeed, expected: Int) throws {
        let fixture = try Self.smallFixture(Self.smallStatus(hs0: 6, ss2: 6))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(try driver.freePort(for: speed) == expected)
    }

    @Test(arguments: [USBSpeed.super, .superPlus])
    func fullSuperSpeedHubMeansNoFreePortEvenWithFreeHighSpeedPorts(_ speed: USBSpeed) throws {
        let fixture = try Self.smallFixture(Self.smallStatus(ss2: 6, ss3: 5))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(try driver.freePort(for: .high) == 0)
        #expect(throws: USBIPError.noFreePort(speed)) { try driver.freePort(for: speed) }
    }

    @Test(arguments: [USBSpeed.low, .full, .high])
    func fullHighSpeedHubMeansNoFreePortForSlowerDevices(_ speed: USBSpeed) throws {
        let fixture = try Self.smallFixture(Self.smallStatus(hs0: 6, hs1: 7))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(try driver.freePort(for: .super) == 2)
        #expect(throws: USBIPError.noFreePort(speed)) { try driver.freePort(for: speed) }
    }

    @Test(arguments: [USBSpeed.high, .super, .superPlus])
    func legacyLayoutTakesAnyFreePort(_ speed: USBSpeed) throws {
        let text = """
            port sta spd dev      socket           local_busid
            0000 006 003 00010002 ffff880036b2d000 3-1
            0001 004 000 00000000 0000000000000000 0-0

            """
        let fixture = try SysfsFixture(.vhci(path: "devices/platform/vhci_hcd", nports: 2, status: [text]))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(try driver.freePort(for: speed) == 1)
    }

    @Test func firstFreePortSkipsExcludedPorts() throws {
        let ports = try VHCIStatusParser.parse(Self.smallStatus())
        #expect(VHCIDriver.firstFreePort(in: ports, for: .high) == 0)
        #expect(VHCIDriver.firstFreePort(in: ports, for: .high, excluding: [0]) == 1)
        #expect(VHCIDriver.firstFreePort(in: ports, for: .high, excluding: [0, 1]) == nil)
        #expect(VHCIDriver.firstFreePort(in: ports, for: .super, excluding: [2]) == 3)
    }

    // MARK: - attach / detach bytes

    @Test func attachWritesFullWidthDecimalNumbers() throws {
        let fixture = try Self.smallFixture()
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        // port > 255 and a devid whose bus and device numbers both exceed 8 bits (the C tools truncate them).
        try driver.attach(port: 300, socket: 17, devid: DevID(busnum: 300, devnum: 260), speed: .superPlus)
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/attach") == "300 17 19661060 6")
    }

    @Test func attachCommandMatchesTheCFormat() {
        #expect(VHCIDriver.attachCommand(port: 0, socket: 3, devid: DevID(busnum: 1, devnum: 2), speed: .high)
            == "0 3 65538 3")
        #expect(VHCIDriver.attachCommand(port: 15, socket: -1, devid: DevID(rawValue: .max), speed: .super)
            == "15 -1 4294967295 5")
    }

    @Test func attachRejectsANegativePortWithoutWriting() throws {
        let fixture = try Self.smallFixture()
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(throws: USBIPError.portOutOfRange(port: -1, nports: 4)) {
            try driver.attach(port: -1, socket: 3, devid: DevID(rawValue: 1), speed: .high)
        }
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/attach") == "")
    }

    @Test func detachWritesThePortNumber() throws {
        let fixture = try Self.smallFixture(Self.smallStatus(ss3: 6))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        try driver.detach(port: 3)
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/detach") == "3")
    }

    @Test func detachOfAPortBeyond255IsNotTruncated() throws {
        let fixture = try SysfsFixture(.vhci(nports: 480, status: [Self.smallStatus()]))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        try driver.detach(port: 257)
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/detach") == "257")
    }

    @Test(arguments: [
        (1, USBIPError.portNotInUse(port: 1)),
        (9, .portOutOfRange(port: 9, nports: 4)),
        // A port in use: the kernel's EINVAL passes through as the write error.
        (0, .sysfs(
            operation: "write '0' to", path: "/sys/devices/platform/vhci_hcd.0/detach", errno: .invalidArgument)),
    ])
    func detachEINVALIsExplainedFromThePortTable(port: Int, expected: USBIPError) throws {
        let fixture = try Self.smallFixture(Self.smallStatus(hs0: 6))
        defer { fixture.remove() }
        var driver = try VHCIDriver(sysfs: fixture.sysfs)
        let log = WriteLog()
        driver.attributeWriter = log.writer(sysfs: fixture.sysfs) { _, _ in .invalidArgument }
        #expect(throws: expected) { try driver.detach(port: port) }
        #expect(log.writes == ["devices/platform/vhci_hcd.0/detach <- \(port)"])
    }

    @Test func detachOtherErrnosPassThrough() throws {
        let fixture = try Self.smallFixture()
        defer { fixture.remove() }
        var driver = try VHCIDriver(sysfs: fixture.sysfs)
        driver.attributeWriter = WriteLog().writer(sysfs: fixture.sysfs) { _, _ in .resourceTemporarilyUnavailable }
        let error = #expect(throws: USBIPError.self) { try driver.detach(port: 1) }
        #expect(error?.sysfsErrnoForTests == .resourceTemporarilyUnavailable)
    }

    // MARK: - attach retry loop

    @Test func attachToFreePortUsesTheFirstFreePortOfTheRightHub() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached")
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        let port = try driver.attachToFreePort(socket: 4, devid: DevID(busnum: 2, devnum: 3), speed: .super)
        #expect(port == 16)
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/attach") == "16 4 131075 5")
    }

    @Test func attachRetriesOnEBUSYWithAFreshPortTable() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached")
        defer { fixture.remove() }
        var driver = try VHCIDriver(sysfs: fixture.sysfs)
        let log = WriteLog()
        let sysfs = fixture.sysfs
        // Another attacher wins port 16 and, meanwhile, also takes port 17: the kernel says EBUSY for 16, and the
        // status file now shows 16 and 17 in use. A retry from a stale table would pick 17; a fresh read picks 18.
        driver.attributeWriter = log.writer(sysfs: sysfs) { value, _ in
            guard value.hasPrefix("16 ") else { return nil }
            let status = "devices/platform/vhci_hcd.0/status"
            let text = String(decoding: (try? sysfs.readBytes(status)) ?? [], as: UTF8.self)
            let taken = text
                .replacingFirst("ss  0016 004 000 00000000 000000 0-0", "ss  0016 006 005 00030002 000007 4-2")
                .replacingFirst("ss  0017 004 000 00000000 000000 0-0", "ss  0017 006 005 00030003 000008 4-3")
            try? sysfs.write(taken, to: status)
            return .resourceBusy
        }
        let port = try driver.attachToFreePort(socket: 4, devid: DevID(busnum: 2, devnum: 3), speed: .superPlus)
        #expect(port == 18)
        #expect(log.writes == [
            "devices/platform/vhci_hcd.0/attach <- 16 4 131075 6",
            "devices/platform/vhci_hcd.0/attach <- 18 4 131075 6",
        ])
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/attach") == "18 4 131075 6")
    }

    @Test func attachNeverRetriesAPortThatSaidEBUSY() throws {
        let fixture = try Self.smallFixture()
        defer { fixture.remove() }
        var driver = try VHCIDriver(sysfs: fixture.sysfs)
        let log = WriteLog()
        // The status file keeps claiming every port is free, but the kernel refuses them all.
        driver.attributeWriter = log.writer(sysfs: fixture.sysfs) { _, _ in .resourceBusy }
        #expect(throws: USBIPError.noFreePort(.high)) {
            try driver.attachToFreePort(socket: 4, devid: DevID(rawValue: 1), speed: .high)
        }
        #expect(log.writes == [
            "devices/platform/vhci_hcd.0/attach <- 0 4 1 3",
            "devices/platform/vhci_hcd.0/attach <- 1 4 1 3",
        ])
    }

    @Test func attachGivesUpAfterMaxAttemptsWithTheEBUSYError() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-idle")
        defer { fixture.remove() }
        var driver = try VHCIDriver(sysfs: fixture.sysfs)
        let log = WriteLog()
        driver.attributeWriter = log.writer(sysfs: fixture.sysfs) { _, _ in .resourceBusy }
        let error = #expect(throws: USBIPError.self) {
            try driver.attachToFreePort(socket: 4, devid: DevID(rawValue: 1), speed: .high, maxAttempts: 3)
        }
        #expect(error?.sysfsErrnoForTests == .resourceBusy)
        #expect(log.writes.count == 3)
    }

    @Test func attachStopsAtOtherErrors() throws {
        let fixture = try Self.smallFixture()
        defer { fixture.remove() }
        var driver = try VHCIDriver(sysfs: fixture.sysfs)
        let log = WriteLog()
        driver.attributeWriter = log.writer(sysfs: fixture.sysfs) { _, _ in .invalidArgument }
        let error = #expect(throws: USBIPError.self) {
            try driver.attachToFreePort(socket: 4, devid: DevID(rawValue: 1), speed: .super)
        }
        #expect(error?.sysfsErrnoForTests == .invalidArgument)
        #expect(log.writes.count == 1)
    }

    @Test func noFreePortIsReportedBeforeAnyWrite() throws {
        let fixture = try Self.smallFixture(Self.smallStatus(ss2: 6, ss3: 6))
        defer { fixture.remove() }
        let driver = try VHCIDriver(sysfs: fixture.sysfs)
        #expect(throws: USBIPError.noFreePort(.super)) {
            try driver.attachToFreePort(socket: 4, devid: DevID(rawValue: 1), speed: .super)
        }
        #expect(fixture.contents(of: "devices/platform/vhci_hcd.0/attach") == "")
    }
}

extension USBIPError {
    /// The errno of a `.sysfs` error (tests only; the library has its own).
    var sysfsErrnoForTests: Errno? {
        if case .sysfs(_, _, let errno) = self { return errno }
        return nil
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced (no Foundation).
    func replacingFirst(_ target: String, _ replacement: String) -> String {
        let bytes = Array(utf8), pattern = Array(target.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return self }
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
            return String(decoding: bytes[..<start] + Array(replacement.utf8) + bytes[(start + pattern.count)...],
                          as: UTF8.self)
        }
        return self
    }
}
