import Testing
import USBIPWire
import USBIPTestSupport

/// The incremental decoders fed as a non-blocking reader would: one byte at a time, in random chunks, and whole.
/// Each way must give the same value from exactly the PDU's bytes, and never ask for a byte beyond it.
@Suite struct DecoderFeedingTests {
    static let requests: [Request] = [
        .devList, .importDevice(ImportRequest(busid: BusID("1-1.4")!)),
        .export(ExportRequest(device: WireSamples.record())), .unexport(UnexportRequest(device: WireSamples.record())),
    ]
    static let replies: [Reply] = [
        .devList(DevListReply(devices: [])),
        .devList(DevListReply(devices: [WireSamples.device(busid: "3-3.2", interfaceCount: 3), WireSamples.device(busid: "1-1", interfaceCount: 0)])),
        .devList(DevListReply(status: .na, devices: [])),
        .importDevice(.success(WireSamples.record())), .importDevice(.failure(.deviceBusy)),
        .export(ExportReply(status: .exportNoFreePort)), .unexport(UnexportReply(status: .ok)),
    ]

    /// Feeds `bytes` in chunks whose sizes `nextSize` picks (clamped to what the decoder needs); returns the value
    /// and how many bytes were fed.
    static func feed<D: PDUDecoder>(
        _ decoder: D, _ bytes: [UInt8], nextSize: (Int) -> Int
    ) throws(WireError) -> (D.Value, Int)? {
        var decoder = decoder
        var offset = 0
        while offset < bytes.count {
            let size = min(max(1, nextSize(decoder.bytesNeeded)), decoder.bytesNeeded, bytes.count - offset)
            let step = try decoder.feed(bytes[offset..<offset + size])
            offset += size
            switch step {
            case .done(let value): return (value, offset)
            case .needMore(let n): #expect(n == decoder.bytesNeeded && n > 0)
            }
        }
        return nil
    }

    @Test(arguments: requests)
    func requestsDecodeTheSameWhateverTheChunks(_ request: Request) throws {
        let bytes = request.serialized() + [0xEE, 0xEE]  // what follows belongs to the kernel
        var rng = SplitMix64(seed: 7)
        for nextSize in [{ (_: Int) in 1 }, { $0 }, { (_: Int) in Int(rng.next() % 17) }] as [(Int) -> Int] {
            let (value, fed) = try #require(try Self.feed(RequestDecoder(), bytes, nextSize: nextSize))
            #expect(value == request)
            #expect(fed == bytes.count - 2)
        }
    }

    @Test(arguments: replies)
    func repliesDecodeTheSameWhateverTheChunks(_ reply: Reply) throws {
        let bytes = reply.serialized() + [0xEE]
        var rng = SplitMix64(seed: 11)
        for nextSize in [{ (_: Int) in 1 }, { $0 }, { (_: Int) in Int(rng.next() % 97) }] as [(Int) -> Int] {
            let (value, fed) = try #require(try Self.feed(ReplyDecoder(expecting: reply.code), bytes, nextSize: nextSize))
            #expect(value == reply)
            #expect(fed == bytes.count - 1)
            let (any, _) = try #require(try Self.feed(ReplyDecoder(expecting: nil), bytes, nextSize: nextSize))
            #expect(any == reply)
        }
    }

    @Test func replyOfAnotherKindIsRefusedAtTheHeader() {
        var decoder = ReplyDecoder(expecting: .importReply)
        #expect(throws: WireError.unexpectedReply(expected: 0x0003, received: 0x0005)) {
            try decoder.feed(DevListReply(devices: []).serialized()[..<8])
        }
    }

    @Test func hugeDeviceCountIsRefusedBeforeAnyDeviceIsAskedFor() throws {
        var decoder = ReplyDecoder(expecting: .devListReply)
        guard case .needMore(4) = try decoder.feed(OpCommon(code: .devListReply).serialized()) else {
            Issue.record("ndev asked for next")
            return
        }
        #expect(throws: WireError.countTooLarge(field: "ndev", value: 1025, limit: 1024)) {
            try decoder.feed([0, 0, 0x04, 0x01])
        }
    }
}
