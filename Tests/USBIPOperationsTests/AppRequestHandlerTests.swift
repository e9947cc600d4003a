import Synchronization
import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPTestSupport
import USBIPOperations
import USBIPNet

/// `usbipa`'s request handling over a vhci_hcd fixture and a real loopback connection.
@Suite struct AppRequestHandlerTests {
    static let attach = "devices/platform/vhci_hcd.0/attach"
    static let detach = "devices/platform/vhci_hcd.0/detach"

    /// One controller, hs ports 0-1 and ss ports 2-3; `used` ports hold a device (status 6).
    static func status(used: Set<Int> = []) -> String {
        var text = "hub port sta spd dev      sockfd local_busid\n"
        for port in 0..<4 {
            let hub = port < 2 ? "hs" : "ss"
            let number = "000\(port)"
            if used.contains(port) {
                text += "\(hub)  \(number) 006 003 00010002 000005 3-\(port + 1)\n"
            } else {
                text += "\(hub)  \(number) 004 000 00000000 000000 0-0\n"
            }
        }
        return text
    }

    /// A handler over a fresh fixture whose attribute writes go to `log` (and run `hook` first).
    static func handler(
        _ fixture: SysfsFixture, records: ConnectionRecordStore, log: WriteLog,
        inject: @escaping @Sendable (String, String) -> Errno? = { _, _ in nil }
    ) throws -> AppRequestHandler {
        var vhci = try VHCIDriver(sysfs: fixture.sysfs)
        vhci.attributeWriter = log.writer(sysfs: fixture.sysfs, inject: inject)
        return AppRequestHandler(vhci: vhci, records: records)
    }

    /// One test's setting: a 4-port vhci fixture whose `used` ports hold devices, a record folder holding
    /// `records`, a loopback connection, and a handler whose sysfs writes go to ``log`` (after `inject`). Its
    /// folders are removed when it is released.
    final class Setting {
        let fixture: SysfsFixture
        let dir: TempDirectory
        let pair: LoopbackPair
        let log: WriteLog
        let handler: AppRequestHandler

        init(
            used: Set<Int> = [], records: [Int: ConnectionRecord] = [:],
            inject: @escaping @Sendable (String, String) -> Errno? = { _, _ in nil }
        ) throws {
            let fixture = try SysfsFixture(.vhci(nports: 4, status: [AppRequestHandlerTests.status(used: used)]))
            let dir: TempDirectory
            do { dir = try TempDirectory() } catch { fixture.remove(); throw error }
            let log = WriteLog()
            do {
                for (port, record) in records { try dir.store.write(record, port: port) }
                pair = try LoopbackPair()
                handler = try AppRequestHandlerTests.handler(fixture, records: dir.store, log: log, inject: inject)
            } catch {
                fixture.remove()
                dir.remove()
                throw error
            }
            self.fixture = fixture
            self.dir = dir
            self.log = log
        }

        deinit {
            fixture.remove()
            dir.remove()
        }

        /// Runs `request` through the handler on the server side of the connection.
        @discardableResult
        func handle(_ request: Request) throws -> Bool {
            try handler.handle(request, on: pair.server, logger: quietLogger)
        }

        /// The reply the client received (8 bytes).
        func reply() throws -> [UInt8] {
            try pair.client.read(exactly: 8, operation: "reply")
        }
    }

    // MARK: - OP_REQ_EXPORT

    @Test func exportRepliesEightBytesBeforeAttachingAndRecordsThePeer() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status()]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let pair = try LoopbackPair()
        let seenAtAttach = Mutex<[UInt8]?>(nil)
        let clientFD = pair.client.fd
        let log = WriteLog()
        let handler = try Self.handler(fixture, records: dir.store, log: log) { _, relative in
            if relative == Self.attach { seenAtAttach.withLock { $0 = LoopbackPair.pending(on: clientFD) } }
            return nil
        }
        #expect(try handler.handle(.export(ExportRequest(device: sampleRecord())), on: pair.server, logger: quietLogger))

        let expectedReply: [UInt8] = [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 0]
        // The reply was already readable when the attach write happened.
        #expect(seenAtAttach.withLock { $0 } == expectedReply)
        #expect(try pair.client.read(exactly: 8, operation: "reply") == expectedReply)
        // Nothing follows the 8 bytes: the server closed its side.
        #expect(throws: USBIPError.self) { try pair.client.read(exactly: 1, operation: "more") }

        // SuperSpeed goes to the first ss port (2); devid 2<<16|3, speed 5.
        #expect(log.writes.count == 1)
        #expect(log.writes.first?.hasPrefix(Self.attach + " <- 2 ") == true)
        #expect(log.writes.first?.hasSuffix(" \((2 << 16) | 3) 5") == true)
        #expect(
            try dir.store.read(port: 2)
                == ConnectionRecord(host: "127.0.0.1", port: String(pair.clientPort), busid: "2-1"))
        #expect(dir.store.ports() == [2])
    }

    @Test func exportWithoutFreePortRepliesTwoAndDoesNotAttach() throws {
        let setting = try Setting(used: [0, 1])
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.export(ExportRequest(device: sampleRecord(speed: .high))))
        }
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 2])
        #expect(setting.log.writes.isEmpty)
        #expect(setting.dir.store.ports().isEmpty)
    }

    /// A record of `sampleRecord()` with its speed, bus number and device number replaced.
    static func record(speed: UInt32 = 5, busnum: UInt32 = 2, devnum: UInt32 = 3) -> DeviceRecord {
        var record = sampleRecord()
        record.speed = speed
        record.busnum = busnum
        record.devnum = devnum
        return record
    }

    /// Records vhci_hcd's `attach` would refuse (a speed it does not take) or whose devid cannot match the
    /// exporting stub's: refused with status 1 before any reply of success, nothing written to `attach`.
    @Test(arguments: [
        (UInt32(0), UInt32(2), UInt32(3)), (7, 2, 3), (0xFFFF_FFFF, 2, 3),
        (3, 0x1_0000, 3), (3, 2, 0), (3, 2, 128), (3, 0, 5),
    ])
    func exportOfARecordVHCICannotAttachRepliesOneAndDoesNotAttach(speed: UInt32, busnum: UInt32, devnum: UInt32) throws {
        let setting = try Setting()
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.export(ExportRequest(device: Self.record(speed: speed, busnum: busnum, devnum: devnum))))
        }
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 1])
        #expect(throws: USBIPError.self) { try setting.pair.client.read(exactly: 1, operation: "stream end") }
        #expect(setting.log.writes.isEmpty)
        #expect(setting.dir.store.ports().isEmpty)
    }

    /// Every speed vhci_hcd attaches (USB_SPEED_LOW … USB_SPEED_SUPER_PLUS) goes to a port of its hub; a vUDC
    /// gadget's record (bus and device number 0) is attached too.
    @Test(arguments: [
        (UInt32(1), UInt32(2), UInt32(3), 0), (2, 2, 3, 0), (3, 2, 3, 0), (4, 2, 3, 0), (5, 2, 3, 2), (6, 2, 3, 2),
        (3, 0, 0, 0), (3, 0xFFFF, 127, 0),
    ])
    func exportOfAnAttachableRecordAttaches(speed: UInt32, busnum: UInt32, devnum: UInt32, port: Int) throws {
        let setting = try Setting()
        #expect(try setting.handle(.export(ExportRequest(device: Self.record(speed: speed, busnum: busnum, devnum: devnum)))))
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 0])
        #expect(setting.log.writes.count == 1)
        #expect(setting.log.writes.first?.hasPrefix(Self.attach + " <- \(port) ") == true)
        #expect(setting.log.writes.first?.hasSuffix(" \(busnum << 16 | devnum) \(speed)") == true)
    }

    @Test func superSpeedPlusIsAttachedAsSuperSpeedWhereVHCIRefusesIt() throws {
        // Debian 12's vhci_hcd answers EINVAL for speed 6 (before looking at the socket).
        let setting = try Setting { value, relative in
            relative == Self.attach && value.hasSuffix(" 6") ? .invalidArgument : nil
        }
        #expect(try setting.handle(.export(ExportRequest(device: sampleRecord(speed: .superPlus)))))
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 0])
        #expect(setting.log.writes.count == 2)
        #expect(setting.log.writes.first?.hasPrefix(Self.attach + " <- 2 ") == true)
        #expect(setting.log.writes.first?.hasSuffix(" \((2 << 16) | 3) 6") == true)
        #expect(setting.log.writes.last?.hasPrefix(Self.attach + " <- 2 ") == true)
        #expect(setting.log.writes.last?.hasSuffix(" \((2 << 16) | 3) 5") == true)
        #expect(setting.dir.store.ports() == [2])
    }

    @Test func otherSpeedsAreNotRetriedOnEINVAL() throws {
        let setting = try Setting { _, relative in relative == Self.attach ? .invalidArgument : nil }
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.export(ExportRequest(device: sampleRecord(speed: .super))))
        }
        #expect(setting.log.writes.count == 1)
        #expect(setting.dir.store.ports().isEmpty)
    }

    @Test func exportWithoutFreeSuperSpeedPortRepliesTwoAndDoesNotAttach() throws {
        let setting = try Setting(used: [2, 3])
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.export(ExportRequest(device: sampleRecord(speed: .superPlus))))
        }
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 2])
        #expect(setting.log.writes.isEmpty)
    }

    @Test func attachFailureAfterTheReplyClosesTheConnection() throws {
        let setting = try Setting { _, _ in .invalidArgument }
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.export(ExportRequest(device: sampleRecord())))
        }
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 0])
        #expect(throws: USBIPError.self) { try setting.pair.client.read(exactly: 1, operation: "stream end") }
        #expect(setting.dir.store.ports().isEmpty)
    }

    @Test func attachRetriesTheNextPortOnEBUSY() throws {
        let setting = try Setting { value, relative in
            relative == Self.attach && value.hasPrefix("2 ") ? .resourceBusy : nil
        }
        try setting.handle(.export(ExportRequest(device: sampleRecord())))
        #expect(setting.log.writes.map { String($0.prefix(Self.attach.count + 6)) } == [
            Self.attach + " <- 2 ", Self.attach + " <- 3 ",
        ])
        #expect(setting.dir.store.ports() == [3])
    }

    @Test func staleRecordsOfFreePortsAreRemovedBeforeExport() throws {
        // Port 0 is in use (kept); port 2 is free: its record is stale (and names the same device).
        let setting = try Setting(used: [0], records: [
            0: ConnectionRecord(host: "10.0.0.9", port: "40000", busid: "1-1"),
            2: ConnectionRecord(host: "127.0.0.1", port: "40001", busid: "2-1"),
        ])
        try setting.handle(.export(ExportRequest(device: sampleRecord(speed: .high))))
        #expect(setting.dir.store.ports() == [0, 1])
        #expect(try setting.dir.store.read(port: 0)?.host == "10.0.0.9")
    }

    // MARK: - OP_REQ_UNEXPORT

    @Test func unexportDetachesThePeersPortAndRemovesTheRecord() throws {
        // Port 0: same bus id from another host; port 2: ours (the recorded source port does not matter).
        let setting = try Setting(used: [0, 2], records: [
            0: ConnectionRecord(host: "10.0.0.9", port: "40000", busid: "2-1"),
            2: ConnectionRecord(host: "127.0.0.1", port: "1", busid: "2-1"),
        ])
        try setting.handle(.unexport(UnexportRequest(device: sampleRecord())))
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 0])
        #expect(setting.log.writes == [Self.detach + " <- 2"])
        #expect(setting.dir.store.ports() == [0])
    }

    @Test func unexportFromAnotherAddressRepliesThree() throws {
        let setting = try Setting(
            used: [2], records: [2: ConnectionRecord(host: "10.0.0.9", port: "40000", busid: "2-1")])
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.unexport(UnexportRequest(device: sampleRecord())))
        }
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 3])
        #expect(setting.log.writes.isEmpty)
        #expect(setting.dir.store.ports() == [2])
    }

    @Test func unexportDetachErrorRepliesOne() throws {
        let setting = try Setting(
            used: [2], records: [2: ConnectionRecord(host: "127.0.0.1", port: "40000", busid: "2-1")]
        ) { _, _ in .ioError }
        #expect(throws: AppRequestHandler.Failure.self) {
            try setting.handle(.unexport(UnexportRequest(device: sampleRecord())))
        }
        #expect(try setting.reply() == [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 1])
        #expect(setting.dir.store.ports() == [2])
    }

    @Test func servesExportAndUnexportOnly() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status()]))
        defer { fixture.remove() }
        let handler = AppRequestHandler(vhci: try VHCIDriver(sysfs: fixture.sysfs))
        #expect(handler.acceptedRequests == [.exportRequest, .unexportRequest])
    }

    @Test func listAndImportAreNotServedAndClosedWithoutReply() throws {
        let setting = try Setting()
        #expect(throws: RequestNotServed.self) { try setting.handle(.devList) }
        #expect(throws: USBIPError.self) { try setting.pair.client.read(exactly: 1, operation: "nothing") }
    }
}
