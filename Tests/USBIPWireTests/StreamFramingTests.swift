import Testing
import USBIPWire
import USBIPSupport
import USBIPTestSupport

@Suite struct StreamFramingTests {
    @Test func devListReadsHeaderCountRecordsAndInterfaces() throws {
        let reply = DevListReply(devices: [
            WireSamples.device(busid: "1-1", interfaceCount: 2), WireSamples.device(busid: "1-2", interfaceCount: 0),
            WireSamples.device(busid: "1-3", interfaceCount: 1),
        ])
        var stream = MemoryStream(input: reply.serialized())
        #expect(try DevListReply.receive(from: &stream) == reply)
        #expect(stream.readSizes == [8, 4, 312, 8, 312, 312, 4])
        #expect(stream.remainingInput == 0)
    }

    @Test func failedDevListReadsOnlyTheHeader() throws {
        var stream = MemoryStream(input: OpCommon(code: .devListReply, status: .na).serialized())
        let reply = try DevListReply.receive(from: &stream)
        #expect(reply.status == .na)
        #expect(reply.devices.isEmpty)
        #expect(stream.readSizes == [8])
    }

    @Test func importSuccessReadsTheRecordAndNothingMore() throws {
        let reply = ImportReply.success(WireSamples.record())
        var stream = MemoryStream(input: reply.serialized() + Array(repeating: 0xAB, count: 48))
        #expect(try ImportReply.receive(from: &stream) == reply)
        #expect(stream.readSizes == [8, 312])
        #expect(stream.remainingInput == 48)
    }

    @Test func importFailureReadsOnlyTheHeader() throws {
        var stream = MemoryStream(input: [0x01, 0x11, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02])
        let reply = try ImportReply.receive(from: &stream)
        #expect(reply == .failure(.deviceBusy))
        #expect(reply.status.text(for: .importDevice) == "Device busy (exported)")
        #expect(stream.readSizes == [8])
    }

    @Test func unexportReplyIsEightBytes() throws {
        var stream = MemoryStream(input: UnexportReply(status: .exportDeviceNotFound).serialized())
        let reply = try UnexportReply.receive(from: &stream)
        #expect(reply.status.text(for: .unexport) == "device not found")
        #expect(stream.readSizes == [8])
    }

    @Test func wrongReplyCodeIsUnexpectedReply() {
        var stream = MemoryStream(input: ExportReply(status: .ok).serialized())
        #expect(throws: WireError.unexpectedReply(expected: 0x0003, received: 0x0006)) {
            try ImportReply.receive(from: &stream)
        }
        var another = MemoryStream(input: ImportReply.failure(.na).serialized())
        #expect(throws: WireError.unexpectedReply(expected: 0x0006, received: 0x0003)) {
            try ExportReply.receive(from: &another)
        }
        var third = MemoryStream(input: DevListRequest().serialized())
        #expect(throws: WireError.unexpectedReply(expected: 0x0005, received: 0x8005)) {
            try DevListReply.receive(from: &third)
        }
    }

    @Test func wrongVersionIsRejectedBeforeTheBody() {
        var bytes = ImportRequest(busid: BusID("1-1")!).serialized()
        bytes[1] = 0x00  // 0x0100, the version of old documents
        var stream = MemoryStream(input: bytes)
        #expect(throws: WireError.unsupportedVersion(0x0100)) { try stream.receive(RequestDecoder()) }
        #expect(stream.readSizes == [8])
    }

    @Test func endOfStreamIsThePeerClosedError() {
        var stream = MemoryStream(input: [0x01, 0x11, 0x00], operation: "import")
        #expect(throws: USBIPError.peerClosed(operation: "import")) { try ImportReply.receive(from: &stream) }
    }

    @Test func streamErrorsPropagateUnchanged() {
        struct Broken: Error, Equatable {}
        struct BrokenStream: ByteStream {
            mutating func read(exactly count: Int) throws -> [UInt8] { throw Broken() }
            mutating func write(_ bytes: [UInt8]) throws { throw Broken() }
        }
        var stream = BrokenStream()
        #expect(throws: Broken()) { try stream.receive(RequestDecoder()) }
        #expect(throws: Broken()) { try DevListReply.receive(from: &stream) }
        #expect(throws: Broken()) { try stream.send(DevListRequest()) }
    }

    @Test func sendWritesTheWholePDU() throws {
        var stream = MemoryStream()
        try stream.send(ImportRequest(busid: BusID("2-1")!))
        try stream.send(DevListRequest())
        #expect(stream.output == ImportRequest(busid: BusID("2-1")!).serialized() + DevListRequest().serialized())
    }

    /// A client and a server built from these pieces talk to each other over the memory stream.
    @Test func requestReplyExchange() throws {
        var client = MemoryStream()
        try client.send(Request.importDevice(ImportRequest(busid: BusID("3-1")!)))
        var server = MemoryStream(input: client.output)
        let request = try server.receive(RequestDecoder())
        guard case .importDevice(let importRequest) = request else {
            Issue.record("got \(request)")
            return
        }
        try server.send(ImportReply.success(WireSamples.record(busid: importRequest.busid.rawValue)))
        var back = MemoryStream(input: server.output)
        let reply = try ImportReply.receive(from: &back)
        #expect(reply.device?.busid == importRequest.busid)
    }
}
