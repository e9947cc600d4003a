import Testing
import USBIPWire
import USBIPTestSupport

@Suite struct RequestTests {
    @Test func bodyLengths() {
        #expect(Request.bodyLength(forRequest: .devListRequest) == 0)
        #expect(Request.bodyLength(forRequest: .importRequest) == 32)
        #expect(Request.bodyLength(forRequest: .exportRequest) == 312)
        #expect(Request.bodyLength(forRequest: .unexportRequest) == 312)
        for code: OpCode in [.devInfoRequest, .crypKeyRequest, .importReply, .devListReply] {
            #expect(Request.bodyLength(forRequest: code) == nil)
        }
        #expect(RequestDecoder.allRequests == [.devListRequest, .importRequest, .exportRequest, .unexportRequest])
    }

    @Test func decoderAsksForTheHeaderThenExactlyTheBody() throws {
        let request = Request.importDevice(ImportRequest(busid: BusID("3-1")!))
        let bytes = request.serialized()
        var decoder = RequestDecoder()
        #expect(decoder.bytesNeeded == 8)
        guard case .needMore(32) = try decoder.feed(bytes[..<8]) else { Issue.record("header accepted: 32 more"); return }
        guard case .done(let decoded) = try decoder.feed(bytes[8...]) else { Issue.record("body completes it"); return }
        #expect(decoded == request)
        #expect(request.code == .importRequest)
        #expect(request.operation == .importDevice)
    }

    @Test func decoderRefusesCodesItWasNotToldToAccept() {
        var decoder = RequestDecoder(accepting: [.exportRequest, .unexportRequest])
        #expect(throws: WireError.unknownOpCode(0x8005)) { try decoder.feed(DevListRequest().serialized()) }
    }

    @Test(arguments: [UInt16(0x8002), 0x8004, 0x8008, 0x0003, 0x0000, 0x7FFF, 0xFFFF])
    func unknownOpCodes(_ code: UInt16) {
        let bytes = OpCommon(code: code).serialized() + Array(repeating: 0, count: 312)
        #expect(throws: WireError.unknownOpCode(UInt32(code))) { try Request(parsingAll: bytes) }
        var stream = MemoryStream(input: bytes)
        #expect(throws: WireError.unknownOpCode(UInt32(code))) { try stream.receive(RequestDecoder()) }
        #expect(stream.readSizes == [8])  // the body is never read
    }

    @Test func requestWithNonZeroStatusIsRefused() {
        let bytes = OpCommon(code: .devListRequest, status: .na).serialized()
        #expect(throws: WireError.invalidValue(field: "status", value: 1)) { try Request(parsingAll: bytes) }
        #expect(throws: WireError.invalidValue(field: "status", value: 1)) { try DevListRequest(parsingAll: bytes) }
    }

    @Test func wrongCodeForASpecificRequest() {
        #expect(throws: WireError.unknownOpCode(0x8005)) {
            try ImportRequest(parsingAll: DevListRequest().serialized() + Array(repeating: 0, count: 32))
        }
    }

    @Test(arguments: [
        Request.devList, .importDevice(ImportRequest(busid: BusID("1-1")!)),
        .export(ExportRequest(device: WireSamples.record())), .unexport(UnexportRequest(device: WireSamples.record())),
    ])
    func receiveReadsHeaderThenExactBody(_ request: Request) throws {
        var stream = MemoryStream(input: request.serialized() + [0xEE, 0xEE])
        #expect(try stream.receive(RequestDecoder()) == request)
        let body = try #require(Request.bodyLength(forRequest: request.code))
        #expect(stream.readSizes == (body > 0 ? [8, body] : [8]))
        #expect(stream.remainingInput == 2)
    }
}
