#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization
import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPNet
import USBIPTestSupport
import USBIPOperations

/// `usbip connect` / `usbip disconnect` on a captured tree (the stick on 2-1) against an in-process fake
/// `usbipa` that answers one request with a chosen status.
@Suite struct RemoteExportTests {
    static let busid = BusID("2-1")!  // swiftlint:disable:this force_unwrapping
    static let devicePath = "devices/pci0000:00/0000:00:05.0/usb2/2-1"
    static let sockfd = "bus/usb/devices/2-1/usbip_sockfd"

    /// `sysfs-idle` with usbip-host's write-only attributes, `usb`'s bind/unbind, drivers_probe and the stub's
    /// per-device attributes on 2-1 (status `available`).
    static func fixture(boundToHost: Bool = false) throws -> SysfsFixture {
        let fixture = try SysfsFixture.copy(
            of: "sysfs-idle",
            adding: [
                .file("bus/usb/drivers/usbip-host/bind", ""), .file("bus/usb/drivers/usbip-host/unbind", ""),
                .file("bus/usb/drivers/usb/bind", ""), .file("bus/usb/drivers/usb/unbind", ""),
                .driversProbe,
                .file(devicePath + "/usbip_status", "1\n"), .file(devicePath + "/usbip_sockfd", ""),
            ])
        if boundToHost { relink(fixture, to: "usbip-host") }
        return fixture
    }

    /// Points 2-1's `driver` link at `driver`, as the kernel does when a bind succeeds.
    static func relink(_ fixture: SysfsFixture, to driver: String) {
        let link = fixture.root.appending(devicePath + "/driver").string
        _ = unlink(link)
        _ = symlink("../../../../../bus/usb/drivers/\(driver)", link)
    }

    /// usbip-host with every write logged; binds and unbinds move the device's driver link like the kernel.
    static func stub(_ fixture: SysfsFixture, log: WriteLog) -> HostDriver {
        var driver = HostDriver(sysfs: fixture.sysfs)
        let inner = log.writer(sysfs: fixture.sysfs)
        driver.attributeWriter = { (value: String, relative: String) throws(USBIPError) in
            try inner(value, relative)
            switch relative {
            case "bus/usb/drivers/usbip-host/bind": relink(fixture, to: "usbip-host")
            case "bus/usb/drivers/usb/bind", "bus/usb/drivers/usbip-host/rebind", "bus/usb/drivers_probe":
                relink(fixture, to: "usb")
            case "bus/usb/drivers/usbip-host/unbind", "bus/usb/drivers/usb/unbind":
                _ = unlink(fixture.root.appending(devicePath + "/driver").string)
            default: break
            }
        }
        return driver
    }

    // MARK: - connect

    @Test func connectBindsSendsTheRecordAndHandsTheSocketOver() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let server = try FakeUsbipa(status: 0)
        let log = WriteLog()
        let result = try RemoteExport.connect(
            host: "127.0.0.1", port: server.port, busid: Self.busid, vudc: false, sysfs: fixture.sysfs,
            stub: Self.stub(fixture, log: log), timeout: 5, logger: quietLogger)
        let request = try #require(server.wait())
        guard case .export(let export) = request else {
            Issue.record("expected OP_REQ_EXPORT, got \(request)")
            return
        }
        #expect(export.device == result.device)
        #expect(export.device.busid == Self.busid)
        #expect(export.device.busnum == 2 && export.device.devnum == 2)
        #expect(export.device.speed == USBSpeed.super.rawValue)
        #expect(export.device.idVendor == 0x46f4)
        #expect(export.device.path == "/sys/" + Self.devicePath)
        #expect(result.boundHere)
        #expect(log.writes.contains("bus/usb/drivers/usbip-host/match_busid <- add 2-1"))
        let handed = log.writes.last ?? ""
        #expect(handed.hasPrefix(Self.sockfd + " <- ") && handed.hasSuffix("\n"))
        #expect(!log.writes.contains { $0.hasPrefix("bus/usb/drivers/usbip-host/unbind") })
    }

    @Test(arguments: [(UInt32(2), "no free port"), (UInt32(1), "not available")])
    func refusedConnectUnbindsAgain(status: UInt32, text: String) throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let server = try FakeUsbipa(status: status)
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try RemoteExport.connect(
                host: "127.0.0.1", port: server.port, busid: Self.busid, vudc: false, sysfs: fixture.sysfs,
                stub: Self.stub(fixture, log: log), timeout: 5, logger: quietLogger)
        }
        #expect(error?.description == "connect 2-1 to 127.0.0.1:\(server.port) refused: \(text)")
        #expect(!log.writes.contains { $0.hasPrefix(Self.sockfd) })
        #expect(log.writes.suffix(3) == [
            "bus/usb/drivers/usbip-host/unbind <- 2-1",
            "bus/usb/drivers/usbip-host/match_busid <- del 2-1",
            "bus/usb/drivers/usbip-host/rebind <- 2-1",
        ])
        #expect(HostDriver(sysfs: fixture.sysfs).currentDriver(of: Self.busid) == "usb")
    }

    @Test func connectWithoutUsbipaSaysSoAndLeavesTheDevice() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let port = try FakeUsbipa.unusedPort()
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try RemoteExport.connect(
                host: "127.0.0.1", port: port, busid: Self.busid, vudc: false, sysfs: fixture.sysfs,
                stub: Self.stub(fixture, log: log), timeout: 5, logger: quietLogger)
        }
        #expect(error?.description.hasSuffix("— is usbipa running there?") == true)
        #expect(error?.description.hasPrefix("cannot connect to 127.0.0.1:\(port): ") == true)
        #expect(HostDriver(sysfs: fixture.sysfs).currentDriver(of: Self.busid) == "usb")
        #expect(log.writes.last == "bus/usb/drivers/usbip-host/rebind <- 2-1")
    }

    @Test func deviceBoundByTheUserIsUsedAndLeftBoundOnFailure() throws {
        let fixture = try Self.fixture(boundToHost: true)
        defer { fixture.remove() }
        let server = try FakeUsbipa(status: 2)
        let log = WriteLog()
        #expect(throws: USBIPError.self) {
            try RemoteExport.connect(
                host: "127.0.0.1", port: server.port, busid: Self.busid, vudc: false, sysfs: fixture.sysfs,
                stub: Self.stub(fixture, log: log), timeout: 5, logger: quietLogger)
        }
        #expect(server.wait() != nil)
        #expect(log.writes.isEmpty)
        #expect(HostDriver(sysfs: fixture.sysfs).currentDriver(of: Self.busid) == "usbip-host")
    }

    // MARK: - disconnect

    @Test func disconnectSendsUnexportThenUnbinds() throws {
        let fixture = try Self.fixture(boundToHost: true)
        defer { fixture.remove() }
        let server = try FakeUsbipa(status: 0)
        let log = WriteLog()
        try RemoteExport.disconnect(
            host: "127.0.0.1", port: server.port, busid: Self.busid, vudc: false, sysfs: fixture.sysfs,
            stub: Self.stub(fixture, log: log), timeout: 5, logger: quietLogger)
        guard case .unexport(let unexport)? = server.wait() else {
            Issue.record("expected OP_REQ_UNEXPORT")
            return
        }
        #expect(unexport.device.busid == Self.busid)
        #expect(log.writes == [
            "bus/usb/drivers/usbip-host/unbind <- 2-1",
            "bus/usb/drivers/usbip-host/match_busid <- del 2-1",
            "bus/usb/drivers/usbip-host/rebind <- 2-1",
        ])
    }

    @Test func refusedDisconnectKeepsTheDeviceBound() throws {
        let fixture = try Self.fixture(boundToHost: true)
        defer { fixture.remove() }
        let server = try FakeUsbipa(status: 3)
        let log = WriteLog()
        let error = #expect(throws: USBIPError.self) {
            try RemoteExport.disconnect(
                host: "127.0.0.1", port: server.port, busid: Self.busid, vudc: false, sysfs: fixture.sysfs,
                stub: Self.stub(fixture, log: log), timeout: 5, logger: quietLogger)
        }
        #expect(error?.description == "disconnect 2-1 from 127.0.0.1:\(server.port) refused: device not found")
        #expect(log.writes.isEmpty)
    }
}

/// A one-shot `usbipa` on 127.0.0.1: accepts one connection on a thread, reads one request, answers the reply
/// matching its code with `status`.
final class FakeUsbipa: Sendable {
    let port: String
    private final class Slot: Sendable {
        let request = Mutex<Request?>(nil)
    }
    private let received = Slot()
    private let done = DispatchSemaphore(value: 0)

    init(status: UInt32) throws {
        let (listeners, _) = try TCPListener.open(port: 0, family: .ipv4, host: "127.0.0.1")
        guard let listener = listeners.first else { throw USBIPError.other("no listener") }
        port = String(listener.address.port)
        let fd = dup(listener.fd)
        listener.close()
        let thread = Thread { [received, done] in
            defer { done.signal() }
            let client = accept(fd, nil, nil)
            _ = close(fd)
            guard client >= 0 else { return }
            let connection = TCPConnection(adopting: client)
            connection.setDeadline(seconds: 5)
            var stream = ConnectionStream(connection: connection)
            guard let request = try? stream.receive(RequestDecoder()) else { return }
            received.request.withLock { $0 = request }
            let code: OpCode = request.code == .unexportRequest ? .unexportReply : .exportReply
            try? stream.write(OpCommon(code: code, status: OpStatus(rawValue: status)).serialized())
            connection.close()
        }
        thread.start()
    }

    /// The request received, once the server is done (at most 5 s).
    func wait() -> Request? {
        _ = done.wait(timeout: .now() + 5)
        done.signal()
        return received.request.withLock { $0 }
    }

    /// A loopback port nothing listens on.
    static func unusedPort() throws -> String {
        let (listeners, _) = try TCPListener.open(port: 0, family: .ipv4, host: "127.0.0.1")
        let port = String(listeners.first?.address.port ?? 1)
        listeners.forEach { $0.close() }
        return port
    }
}
