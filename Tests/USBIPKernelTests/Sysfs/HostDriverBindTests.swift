import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

/// `usbip bind` / `usbip unbind` sequences on a fixture: exact bytes, order, refusals and rollback.
@Suite struct HostDriverBindTests {
    static let busid = BusID("2-1")!  // swiftlint:disable:this force_unwrapping
    static let pci = "devices/pci0000:00/0000:00:05.0"
    static let devicePath = pci + "/usb2/2-1"

    // Attribute paths, relative to the root.
    static let matchBusID = "bus/usb/drivers/usbip-host/match_busid"
    static let hostBind = "bus/usb/drivers/usbip-host/bind"
    static let hostUnbind = "bus/usb/drivers/usbip-host/unbind"
    static let hostRebind = "bus/usb/drivers/usbip-host/rebind"
    static let usbBind = "bus/usb/drivers/usb/bind"
    static let usbUnbind = "bus/usb/drivers/usb/unbind"
    static let driversProbe = "bus/usb/drivers_probe"

    /// A machine with: 2-1 (a mass-storage device, driver `usb`, or `driver2_1`), its interface, the root hubs,
    /// an external hub 1-1, and 4-1 attached through vhci_hcd.
    static func fixture(driver2_1: String? = "usb", _ extra: SysfsFixture.Entry...) throws -> SysfsFixture {
        try SysfsFixture(
            [
                .usbipHost(),
                .usbDriver("usb"),
                .driversProbe,
                .device("usb1", path: pci + "/usb1", attributes: ["bDeviceClass": "09\n"], driver: "usb"),
                .device("usb2", path: pci + "/usb2", attributes: ["bDeviceClass": "09\n"], driver: "usb"),
                .device("1-1", path: pci + "/usb1/1-1", attributes: ["bDeviceClass": "09\n"], driver: "usb"),
                .device("2-1", path: devicePath, attributes: ["bDeviceClass": "00\n", "idVendor": "46f4\n"],
                        driver: driver2_1),
                .device("2-1:1.0", path: devicePath + "/2-1:1.0", attributes: ["bInterfaceNumber": "00\n"],
                        driver: "usb-storage"),
                .device("4-1", path: "devices/platform/vhci_hcd.0/usb4/4-1", attributes: ["bDeviceClass": "00\n"],
                        driver: "usb"),
            ] + extra
        )
    }

    /// The driver with every write recorded (and `inject` deciding which ones fail).
    static func driver(
        _ fixture: SysfsFixture, log: WriteLog,
        inject: @escaping @Sendable (String, String) -> Errno? = { _, _ in nil }
    ) -> HostDriver {
        var driver = HostDriver(sysfs: fixture.sysfs)
        driver.attributeWriter = log.writer(sysfs: fixture.sysfs, inject: inject)
        return driver
    }

    // MARK: - bind

    @Test func bindUnbindsTheGenericDriverAddsAndBinds() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let log = WriteLog()
        let result = try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger)
        #expect(result == HostDriver.BindResult(busid: Self.busid, previousDriver: "usb"))
        #expect(log.writes == [
            "\(Self.usbUnbind) <- 2-1",
            "\(Self.matchBusID) <- add 2-1",
            "\(Self.hostBind) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.usbUnbind) == "2-1")
        #expect(fixture.contents(of: Self.matchBusID) == "add 2-1")  // no newline
        #expect(fixture.contents(of: Self.hostBind) == "2-1")
        #expect(fixture.contents(of: Self.usbBind) == "")
        #expect(fixture.contents(of: Self.driversProbe) == "")
    }

    @Test func bindOfADeviceWithoutDriverSkipsTheUnbind() throws {
        let fixture = try Self.fixture(driver2_1: nil)
        defer { fixture.remove() }
        let log = WriteLog()
        let result = try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger)
        #expect(result.previousDriver == nil)
        #expect(log.writes == ["\(Self.matchBusID) <- add 2-1", "\(Self.hostBind) <- 2-1"])
    }

    @Test func bindOnTheCapturedIdleTree() throws {
        let fixture = try SysfsFixture.copy(
            of: "sysfs-idle",
            adding: [.file(Self.usbUnbind, ""), .file(Self.usbBind, ""), .file(Self.hostBind, "")]
        )
        defer { fixture.remove() }
        let result = try HostDriver(sysfs: fixture.sysfs).bind(Self.busid, logger: quietLogger)
        #expect(result.previousDriver == "usb")
        #expect(fixture.contents(of: Self.usbUnbind) == "2-1")
        #expect(fixture.contents(of: Self.matchBusID) == "add 2-1")
        #expect(fixture.contents(of: Self.hostBind) == "2-1")
    }

    @Test func failedBindIsRolledBack() throws {
        let fixture = try Self.fixture(.directory(Self.hostBind))  // open(O_WRONLY) of a directory: EISDIR
        defer { fixture.remove() }
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger)
        }
        #expect(error?.sysfsErrnoForTests == .isDirectory)
        #expect(log.writes == [
            "\(Self.usbUnbind) <- 2-1",
            "\(Self.matchBusID) <- add 2-1",
            "\(Self.hostBind) <- 2-1",
            "\(Self.matchBusID) <- del 2-1",
            "\(Self.usbBind) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.matchBusID) == "del 2-1")
        #expect(fixture.contents(of: Self.usbBind) == "2-1")
        #expect(fixture.contents(of: Self.driversProbe) == "")
    }

    @Test func rollbackFallsBackToDriversProbe() throws {
        let fixture = try Self.fixture(.directory(Self.hostBind), .directory(Self.usbBind))
        defer { fixture.remove() }
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger)
        }
        // The first error is reported, not a rollback error.
        guard case .sysfs(_, let path, .isDirectory)? = error else {
            Issue.record("expected the bind error, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/" + Self.hostBind)
        #expect(log.writes.suffix(3) == [
            "\(Self.matchBusID) <- del 2-1",
            "\(Self.usbBind) <- 2-1",
            "\(Self.driversProbe) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.matchBusID) == "del 2-1")
        #expect(fixture.contents(of: Self.driversProbe) == "2-1")
    }

    @Test func failedAddRebindsTheOriginalDriverWithoutDel() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            // The match table is full: the kernel answers ENOMEM.
            try Self.driver(fixture, log: log) { value, _ in value.hasPrefix("add ") ? .noMemory : nil }
                .bind(Self.busid, logger: quietLogger)
        }
        #expect(error?.sysfsErrnoForTests == .noMemory)
        #expect(log.writes == [
            "\(Self.usbUnbind) <- 2-1",
            "\(Self.matchBusID) <- add 2-1",
            "\(Self.usbBind) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.hostBind) == "")
        #expect(fixture.contents(of: Self.usbBind) == "2-1")
    }

    @Test func failedUnbindOfTheOriginalDriverChangesNothing() throws {
        let fixture = try Self.fixture(.directory(Self.usbUnbind))
        defer { fixture.remove() }
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger)
        }
        #expect(error?.sysfsErrnoForTests == .isDirectory)
        #expect(log.writes == ["\(Self.usbUnbind) <- 2-1"])
        #expect(fixture.contents(of: Self.matchBusID) == "\n")
    }

    @Test func failedBindOfADeviceWithoutDriverOnlyDels() throws {
        let fixture = try Self.fixture(driver2_1: nil, .directory(Self.hostBind))
        defer { fixture.remove() }
        let log = WriteLog()
        #expect(throws: USBIPError.self) { try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger) }
        #expect(log.writes == [
            "\(Self.matchBusID) <- add 2-1",
            "\(Self.hostBind) <- 2-1",
            "\(Self.matchBusID) <- del 2-1",
        ])
    }

    /// A bus id with no device behind it, and an interface (not a device usbip-host can take).
    @Test(arguments: ["9-9", "2-1:1.0"])
    func aBusIDThatIsNoDeviceListsTheLocalDevices(_ name: String) throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let log = WriteLog()
        let target = try #require(BusID(name))
        // Hubs (usb1, usb2, 1-1) and interfaces (2-1:1.0) are left out.
        let available = try ["2-1", "4-1"].map { try #require(BusID($0)) }
        #expect(throws: USBIPError.deviceNotFound(target, available: available)) {
            try Self.driver(fixture, log: log).bind(target, logger: quietLogger)
        }
        #expect(log.writes.isEmpty)
    }

    @Test(arguments: ["1-1", "usb1"])
    func hubsAreRefused(_ name: String) throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let log = WriteLog()
        let busid = try #require(BusID(name))
        #expect(throws: USBIPError.isHub(busid)) {
            try Self.driver(fixture, log: log).bind(busid, logger: quietLogger)
        }
        #expect(log.writes.isEmpty)
    }

    @Test func vhciAttachedDeviceIsABindLoop() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let log = WriteLog()
        let target = try #require(BusID("4-1"))
        // As the C tool prints it: "bind loop detected: device: /devices/platform/vhci_hcd.0/usb4/4-1 …".
        #expect(throws: USBIPError.bindLoop(target, devpath: "/devices/platform/vhci_hcd.0/usb4/4-1")) {
            try Self.driver(fixture, log: log).bind(target, logger: quietLogger)
        }
        #expect(log.writes.isEmpty)
    }

    @Test func bindLoopOnTheCapturedAttachedTree() throws {
        let fixture = try SysfsFixture.copy(of: "sysfs-attached")
        defer { fixture.remove() }
        let target = try #require(BusID("4-1"))
        #expect(throws: USBIPError.bindLoop(target, devpath: "/devices/platform/vhci_hcd.0/usb4/4-1")) {
            try HostDriver(sysfs: fixture.sysfs).bind(target, logger: quietLogger)
        }
    }

    @Test func alreadyBoundIsRefused() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host")
        defer { fixture.remove() }
        let log = WriteLog()
        #expect(throws: USBIPError.alreadyBound(Self.busid)) {
            try Self.driver(fixture, log: log).bind(Self.busid, logger: quietLogger)
        }
        #expect(log.writes.isEmpty)
    }

    // MARK: - unbind

    @Test func unbindUnbindsDelsAndRebinds() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host", .usbipHost(matching: ["2-1"]))
        defer { fixture.remove() }
        let log = WriteLog()
        let result = try Self.driver(fixture, log: log).unbind(Self.busid, logger: quietLogger)
        #expect(result == HostDriver.UnbindResult(busid: Self.busid, reprobe: .rebind))
        #expect(log.writes == [
            "\(Self.hostUnbind) <- 2-1",
            "\(Self.matchBusID) <- del 2-1",
            "\(Self.hostRebind) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.hostUnbind) == "2-1")
        #expect(fixture.contents(of: Self.matchBusID) == "del 2-1")
        #expect(fixture.contents(of: Self.hostRebind) == "2-1")
        #expect(fixture.contents(of: Self.driversProbe) == "")
    }

    @Test func unbindOnTheCapturedAttachedTree() throws {
        let fixture = try SysfsFixture.copy(
            of: "sysfs-attached",
            // The capture holds the last read of `rebind` ("2-1 \n"); empty it to see what is written.
            adding: [.file(Self.hostUnbind, ""), .file(Self.hostBind, ""), .file(Self.hostRebind, "")]
        )
        defer { fixture.remove() }
        let result = try HostDriver(sysfs: fixture.sysfs).unbind(Self.busid, logger: quietLogger)
        #expect(result.reprobe == .rebind)
        #expect(fixture.contents(of: Self.hostUnbind) == "2-1")
        #expect(fixture.contents(of: Self.matchBusID) == "del 2-1")
        #expect(fixture.contents(of: Self.hostRebind) == "2-1")
    }

    @Test func rebindENODEVFallsBackToDriversProbe() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host")
        defer { fixture.remove() }
        let log = WriteLog()
        let driver = Self.driver(fixture, log: log) { _, path in
            path == Self.hostRebind ? .operationNotSupportedByDevice : nil  // ENODEV: no longer in the table
        }
        let result = try driver.unbind(Self.busid, logger: quietLogger)
        #expect(result.reprobe == .driversProbe)
        #expect(log.writes == [
            "\(Self.hostUnbind) <- 2-1",
            "\(Self.matchBusID) <- del 2-1",
            "\(Self.hostRebind) <- 2-1",
            "\(Self.driversProbe) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.driversProbe) == "2-1")
    }

    @Test func otherRebindErrorsBindTheDeviceBack() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host", .directory(Self.hostRebind))
        defer { fixture.remove() }
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try Self.driver(fixture, log: log).unbind(Self.busid, logger: quietLogger)
        }
        #expect(error?.sysfsErrnoForTests == .isDirectory)
        #expect(log.writes == [
            "\(Self.hostUnbind) <- 2-1",
            "\(Self.matchBusID) <- del 2-1",
            "\(Self.hostRebind) <- 2-1",
            "\(Self.matchBusID) <- add 2-1",
            "\(Self.hostBind) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.matchBusID) == "add 2-1")
        #expect(fixture.contents(of: Self.hostBind) == "2-1")
        #expect(fixture.contents(of: Self.driversProbe) == "")
    }

    @Test func failedDriversProbeBindsTheDeviceBack() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host", .directory(Self.driversProbe))
        defer { fixture.remove() }
        let log = WriteLog()
        let driver = Self.driver(fixture, log: log) { _, path in
            path == Self.hostRebind ? .operationNotSupportedByDevice : nil
        }
        let error = #expect(throws: USBIPError.self) { try driver.unbind(Self.busid, logger: quietLogger) }
        guard case .sysfs(_, let path, .isDirectory)? = error else {
            Issue.record("expected the drivers_probe error, got \(String(describing: error))")
            return
        }
        #expect(path == "/sys/" + Self.driversProbe)
        #expect(log.writes.suffix(2) == ["\(Self.matchBusID) <- add 2-1", "\(Self.hostBind) <- 2-1"])
    }

    @Test func failedDelBindsTheDeviceBackWithoutReadding() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host", .directory(Self.matchBusID))
        defer { fixture.remove() }
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try Self.driver(fixture, log: log).unbind(Self.busid, logger: quietLogger)
        }
        #expect(error?.sysfsErrnoForTests == .isDirectory)
        #expect(log.writes == [
            "\(Self.hostUnbind) <- 2-1",
            "\(Self.matchBusID) <- del 2-1",
            "\(Self.hostBind) <- 2-1",
        ])
        #expect(fixture.contents(of: Self.hostRebind) == "")
    }

    @Test func failedUnbindWritesNothingElse() throws {
        let fixture = try Self.fixture(driver2_1: "usbip-host", .directory(Self.hostUnbind))
        defer { fixture.remove() }
        let log = WriteLog()
        #expect(throws: USBIPError.self) { try Self.driver(fixture, log: log).unbind(Self.busid, logger: quietLogger) }
        #expect(log.writes == ["\(Self.hostUnbind) <- 2-1"])
    }

    @Test(arguments: ["usb", nil] as [String?])
    func unbindOfADeviceNotOnUsbipHostIsRefused(_ driverName: String?) throws {
        let fixture = try Self.fixture(driver2_1: driverName)
        defer { fixture.remove() }
        let log = WriteLog()
        #expect(throws: USBIPError.notBound(Self.busid)) {
            try Self.driver(fixture, log: log).unbind(Self.busid, logger: quietLogger)
        }
        #expect(log.writes.isEmpty)
    }

    @Test func unbindOfAnUnknownDeviceIsNotFound() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let target = try #require(BusID("7-7"))
        let available = try ["2-1", "4-1"].map { try #require(BusID($0)) }
        #expect(throws: USBIPError.deviceNotFound(target, available: available)) {
            try HostDriver(sysfs: fixture.sysfs).unbind(target, logger: quietLogger)
        }
    }
}
