import Synchronization
import SystemPackage
import Testing
import USBIPCore
import USBIPTestSupport

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
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status(used: [0, 1])]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let pair = try LoopbackPair()
        let log = WriteLog()
        let handler = try Self.handler(fixture, records: dir.store, log: log)
        #expect(throws: AppRequestHandler.Failure.self) {
            _ = try handler.handle(
                .export(ExportRequest(device: sampleRecord(speed: .high))), on: pair.server, logger: quietLogger)
        }
        #expect(try pair.client.read(exactly: 8, operation: "reply") == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 2])
        #expect(log.writes.isEmpty)
        #expect(dir.store.ports().isEmpty)
    }

    @Test func attachFailureAfterTheReplyClosesTheConnection() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status()]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let pair = try LoopbackPair()
        let log = WriteLog()
        let handler = try Self.handler(fixture, records: dir.store, log: log) { _, _ in .invalidArgument }
        #expect(throws: AppRequestHandler.Failure.self) {
            _ = try handler.handle(.export(ExportRequest(device: sampleRecord())), on: pair.server, logger: quietLogger)
        }
        #expect(try pair.client.read(exactly: 8, operation: "reply") == [0x01, 0x11, 0x00, 0x06, 0, 0, 0, 0])
        #expect(throws: USBIPError.self) { try pair.client.read(exactly: 1, operation: "stream end") }
        #expect(dir.store.ports().isEmpty)
    }

    @Test func attachRetriesTheNextPortOnEBUSY() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status()]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let pair = try LoopbackPair()
        let log = WriteLog()
        let handler = try Self.handler(fixture, records: dir.store, log: log) { value, relative in
            relative == Self.attach && value.hasPrefix("2 ") ? .resourceBusy : nil
        }
        _ = try handler.handle(.export(ExportRequest(device: sampleRecord())), on: pair.server, logger: quietLogger)
        #expect(log.writes.map { String($0.prefix(Self.attach.count + 6)) } == [
            Self.attach + " <- 2 ", Self.attach + " <- 3 ",
        ])
        #expect(dir.store.ports() == [3])
    }

    @Test func staleRecordsOfFreePortsAreRemovedBeforeExport() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status(used: [0])]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Port 0 is in use (kept); port 2 is free: its record is stale (and names the same device).
        try dir.store.write(ConnectionRecord(host: "10.0.0.9", port: "40000", busid: "1-1"), port: 0)
        try dir.store.write(ConnectionRecord(host: "127.0.0.1", port: "40001", busid: "2-1"), port: 2)
        let pair = try LoopbackPair()
        let handler = try Self.handler(fixture, records: dir.store, log: WriteLog())
        _ = try handler.handle(.export(ExportRequest(device: sampleRecord(speed: .high))), on: pair.server, logger: quietLogger)
        #expect(dir.store.ports() == [0, 1])
        #expect(try dir.store.read(port: 0)?.host == "10.0.0.9")
    }

    // MARK: - OP_REQ_UNEXPORT

    @Test func unexportDetachesThePeersPortAndRemovesTheRecord() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status(used: [0, 2])]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Port 0: same bus id from another host; port 2: ours (the recorded source port does not matter).
        try dir.store.write(ConnectionRecord(host: "10.0.0.9", port: "40000", busid: "2-1"), port: 0)
        try dir.store.write(ConnectionRecord(host: "127.0.0.1", port: "1", busid: "2-1"), port: 2)
        let pair = try LoopbackPair()
        let log = WriteLog()
        let handler = try Self.handler(fixture, records: dir.store, log: log)
        _ = try handler.handle(.unexport(UnexportRequest(device: sampleRecord())), on: pair.server, logger: quietLogger)
        #expect(try pair.client.read(exactly: 8, operation: "reply") == [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 0])
        #expect(log.writes == [Self.detach + " <- 2"])
        #expect(dir.store.ports() == [0])
    }

    @Test func unexportFromAnotherAddressRepliesThree() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status(used: [2])]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.store.write(ConnectionRecord(host: "10.0.0.9", port: "40000", busid: "2-1"), port: 2)
        let pair = try LoopbackPair()
        let log = WriteLog()
        let handler = try Self.handler(fixture, records: dir.store, log: log)
        #expect(throws: AppRequestHandler.Failure.self) {
            _ = try handler.handle(.unexport(UnexportRequest(device: sampleRecord())), on: pair.server, logger: quietLogger)
        }
        #expect(try pair.client.read(exactly: 8, operation: "reply") == [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 3])
        #expect(log.writes.isEmpty)
        #expect(dir.store.ports() == [2])
    }

    @Test func unexportDetachErrorRepliesOne() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status(used: [2])]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.store.write(ConnectionRecord(host: "127.0.0.1", port: "40000", busid: "2-1"), port: 2)
        let pair = try LoopbackPair()
        let handler = try Self.handler(fixture, records: dir.store, log: WriteLog()) { _, _ in .ioError }
        #expect(throws: AppRequestHandler.Failure.self) {
            _ = try handler.handle(.unexport(UnexportRequest(device: sampleRecord())), on: pair.server, logger: quietLogger)
        }
        #expect(try pair.client.read(exactly: 8, operation: "reply") == [0x01, 0x11, 0x00, 0x07, 0, 0, 0, 1])
        #expect(dir.store.ports() == [2])
    }

    @Test func servesExportAndUnexportOnly() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status()]))
        defer { fixture.remove() }
        let handler = AppRequestHandler(vhci: try VHCIDriver(sysfs: fixture.sysfs))
        #expect(OpCode.allCases.filter(handler.serves) == [.exportRequest, .unexportRequest])
    }

    @Test func listAndImportAreUnknownOpcodesClosedWithoutReply() throws {
        let fixture = try SysfsFixture(.vhci(nports: 4, status: [Self.status()]))
        defer { fixture.remove() }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let pair = try LoopbackPair()
        let handler = try Self.handler(fixture, records: dir.store, log: WriteLog())
        #expect(throws: AppRequestHandler.Failure.self) {
            _ = try handler.handle(.devList, on: pair.server, logger: quietLogger)
        }
        #expect(throws: USBIPError.self) { try pair.client.read(exactly: 1, operation: "nothing") }
    }
}
