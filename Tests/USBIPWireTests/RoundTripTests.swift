import Testing
import USBIPWire
import USBIPTestSupport

@Suite struct RoundTripTests {
    @Test(arguments: WireCorpus.samples)
    func parsesBackToTheSameValue(_ sample: WireSample) throws {
        var reader = ByteReader(sample.bytes)
        #expect(try sample.parse(&reader))
        #expect(reader.remaining == 0)
    }

    @Test(arguments: WireCorpus.samples)
    func trailingBytesAreLeftUnread(_ sample: WireSample) throws {
        var reader = ByteReader(sample.bytes + [0xAB, 0xCD])
        #expect(try sample.parse(&reader))
        #expect(reader.remaining == 2)
    }

    @Test func pduSizes() {
        #expect(DevListRequest().serialized().count == 8)
        #expect(ImportRequest(busid: BusID("1-1")!).serialized().count == 40)
        #expect(ImportReply.success(WireSamples.record()).serialized().count == 320)
        #expect(ExportRequest(device: WireSamples.record()).serialized().count == 320)
        #expect(UnexportRequest(device: WireSamples.record()).serialized().count == 320)
        #expect(DevListReply(devices: [WireSamples.device(interfaceCount: 2)]).serialized().count == 12 + 312 + 8)
    }

    @Test func requestsCarryTheirCodeAndZeroStatus() {
        let requests: [(any WireCodable, UInt8)] = [
            (DevListRequest(), 0x05), (ImportRequest(busid: BusID("1-1")!), 0x03),
            (ExportRequest(device: WireSamples.record()), 0x06), (UnexportRequest(device: WireSamples.record()), 0x07),
        ]
        for (request, op) in requests {
            #expect(Array(request.serialized().prefix(8)) == [0x01, 0x11, 0x80, op, 0, 0, 0, 0])
        }
    }

    @Test func importRequestBusIDIsNULPadded() {
        let bytes = ImportRequest(busid: BusID("1-1")!).serialized()
        #expect(Array(bytes[8..<11]) == Array("1-1".utf8))
        #expect(bytes[11...].allSatisfy { $0 == 0 })
    }

    @Test func exportReplyHasNoBody() throws {
        let ok = ExportReply(status: .ok).serialized()
        #expect(ok == [0x01, 0x11, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00])
        #expect(UnexportReply(status: .ok).serialized() == [0x01, 0x11, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00])
        // What follows the 8 bytes (the kernel's URB traffic) is not consumed.
        let urb: [UInt8] = Array(repeating: 0xAB, count: 48)
        var reader = ByteReader(ok + urb)
        #expect(try ExportReply(parsing: &reader) == ExportReply(status: .ok))
        #expect(reader.remaining == urb.count)
        var stream = MemoryStream(input: ok + urb)
        #expect(try ExportReply.receive(from: &stream).status == .ok)
        #expect(stream.readSizes == [8])
        #expect(stream.remainingInput == urb.count)
    }

    @Test func failedImportReplyHasNoBody() throws {
        let reply = ImportReply(status: .deviceBusy, device: WireSamples.record())
        #expect(reply.serialized().count == 8)
        #expect(try ImportReply(parsingAll: reply.serialized()) == ImportReply.failure(.deviceBusy))
    }

    @Test func successfulImportReplyWithoutRecordStillFrames() {
        let bytes = ImportReply(status: .ok, device: nil).serialized()
        #expect(bytes.count == 320)
        #expect(throws: WireError.invalidBusID) { try ImportReply(parsingAll: bytes) }
    }

    @Test func failedDevListReplyHasNoBody() throws {
        let reply = DevListReply(status: .na, devices: [WireSamples.device()])
        #expect(reply.serialized() == [0x01, 0x11, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01])
        #expect(try DevListReply(parsingAll: reply.serialized()).devices.isEmpty)
    }

    @Test(arguments: [
        (OpCode.importReply, OpCode.devListReply), (.devListReply, .importReply), (.exportReply, .unexportReply),
        (.unexportReply, .exportReply), (.devListRequest, .devListReply),
    ])
    func wrongReplyCodeIsUnexpectedReply(_ sent: OpCode, _ expected: OpCode) {
        let bytes = OpCommon(code: sent).serialized() + Array(repeating: 0, count: 400)
        let error = WireError.unexpectedReply(expected: expected.rawValue, received: sent.rawValue)
        switch expected {
        case .devListReply: #expect(throws: error) { try DevListReply(parsingAll: bytes) }
        case .importReply: #expect(throws: error) { try ImportReply(parsingAll: bytes) }
        case .exportReply: #expect(throws: error) { try ExportReply(parsingAll: bytes) }
        default: #expect(throws: error) { try UnexportReply(parsingAll: bytes) }
        }
    }

    @Test func replyEnumRejectsRequestsAndUnknownCodes() {
        #expect(throws: WireError.unknownOpCode(0x8005)) { try Reply(parsingAll: DevListRequest().serialized()) }
        #expect(throws: WireError.unknownOpCode(0x0002)) {
            try Reply(parsingAll: OpCommon(code: .devInfoReply).serialized())
        }
    }

    @Test func parsingAllRejectsTrailingBytes() {
        #expect(throws: WireError.invalidValue(field: "trailing bytes", value: 1)) {
            try ExportReply(parsingAll: ExportReply(status: .ok).serialized() + [0])
        }
    }
}
