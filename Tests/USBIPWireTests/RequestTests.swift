import Testing
import USBIPWire
import USBIPTestSupport

@Suite struct RequestTests {
    @Test func bodyLengths() {
        #expect(Request.bodyLength(forRequest: 0x8005) == 0)
        #expect(Request.bodyLength(forRequest: 0x8003) == 32)
        #expect(Request.bodyLength(forRequest: 0x8006) == 312)
        #expect(Request.bodyLength(forRequest: 0x8007) == 312)
        #expect(Request.bodyLength(forRequest: .importRequest) == 32)
        for code: UInt16 in [0x8002, 0x8004, 0x0003, 0x0005, 0x8008, 0x0000, 0xFFFF] {
            #expect(Request.bodyLength(forRequest: code) == nil)
        }
    }

    @Test func headerThenBodyBuildsTheRequest() throws {
        let request = Request.importDevice(ImportRequest(busid: BusID("3-1")!))
        let bytes = request.serialized()
        var reader = ByteReader(bytes)
        let header = try OpCommon(parsing: &reader)
        let length = try #require(Request.bodyLength(forRequest: header.code))
        let body = try reader.readBytes(count: length)
        #expect(reader.remaining == 0)
        #expect(try Request(header: header, body: body) == request)
        #expect(request.code == .importRequest)
        #expect(request.operation == .importDevice)
    }

    @Test(arguments: [UInt16(0x8002), 0x8004, 0x8008, 0x0003, 0x0000, 0x7FFF, 0xFFFF])
    func unknownOpCodes(_ code: UInt16) {
        let bytes = OpCommon(code: code).serialized() + Array(repeating: 0, count: 312)
        #expect(throws: WireError.unknownOpCode(UInt32(code))) { try Request(parsingAll: bytes) }
        var stream = MemoryStream(input: bytes)
        #expect(throws: WireError.unknownOpCode(UInt32(code))) { try Request.receive(from: &stream) }
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

    @Test func bodyLongerThanNeededIsRejected() {
        #expect(throws: WireError.invalidValue(field: "trailing bytes", value: 3)) {
            try Request(header: OpCommon(code: .devListRequest), body: [1, 2, 3])
        }
    }

    @Test(arguments: [
        Request.devList, .importDevice(ImportRequest(busid: BusID("1-1")!)),
        .export(ExportRequest(device: WireSamples.record())), .unexport(UnexportRequest(device: WireSamples.record())),
    ])
    func receiveReadsHeaderThenExactBody(_ request: Request) throws {
        var stream = MemoryStream(input: request.serialized() + [0xEE, 0xEE])
        #expect(try Request.receive(from: &stream) == request)
        let body = try #require(Request.bodyLength(forRequest: request.code))
        #expect(stream.readSizes == (body > 0 ? [8, body] : [8]))
        #expect(stream.remainingInput == 2)
    }
}
