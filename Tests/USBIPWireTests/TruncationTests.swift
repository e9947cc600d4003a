import Testing
import USBIPWire
import USBIPSupport
import USBIPTestSupport

@Suite struct TruncationTests {
    /// Every proper prefix of every sample fails with `.truncated`, never with another error or a trap.
    @Test(arguments: WireCorpus.samples)
    func everyPrefixIsTruncated(_ sample: WireSample) {
        for length in 0..<sample.bytes.count {
            var reader = ByteReader(Array(sample.bytes.prefix(length)))
            do {
                _ = try sample.parse(&reader)
                Issue.record("\(sample.name): \(length) of \(sample.bytes.count) bytes parsed")
            } catch {
                guard case .truncated(let needed, let available) = error else {
                    Issue.record("\(sample.name): prefix \(length) gave \(error)")
                    continue
                }
                #expect(needed > available, "\(sample.name) at \(length)")
            }
        }
    }

    @Test func goldenCaptureTruncatedAtEveryOffset() throws {
        let capture = try Hex.fixture("outputs/wire-devlist.hex")
        for length in 0..<capture.count {
            #expect(throws: WireError.self) { try DevListReply(parsingAll: Array(capture.prefix(length))) }
            var reader = ByteReader(Array(capture.prefix(length)))
            do {
                _ = try DevListReply(parsing: &reader)
                Issue.record("prefix \(length) parsed")
            } catch {
                guard case .truncated = error else {
                    Issue.record("prefix \(length) gave \(error)")
                    continue
                }
            }
        }
    }

    /// Stream receivers on a prefix read what they can and then report the stream's own end-of-input error.
    @Test func streamPrefixesReportPeerClosed() throws {
        let full = DevListReply(devices: [WireSamples.device(interfaceCount: 2)]).serialized()
        for length in 0..<full.count {
            var stream = MemoryStream(input: Array(full.prefix(length)), operation: "list")
            #expect(throws: USBIPError.peerClosed(operation: "list"), "prefix \(length)") {
                try DevListReply.receive(from: &stream)
            }
        }
    }

    // MARK: - Hostile counts

    @Test func hugeDeviceCountFailsFastWithoutAllocating() {
        let header = OpCommon(code: .devListReply).serialized()
        let bytes = header + [0xFF, 0xFF, 0xFF, 0xFF] + Array(repeating: 0, count: 100)
        #expect(throws: WireError.countTooLarge(field: "ndev", value: 0xFFFF_FFFF, limit: 1024)) {
            try DevListReply(parsingAll: bytes)
        }
        var stream = MemoryStream(input: bytes)
        #expect(throws: WireError.countTooLarge(field: "ndev", value: 0xFFFF_FFFF, limit: 1024)) {
            try DevListReply.receive(from: &stream)
        }
        #expect(stream.readSizes == [8, 4])  // no device read attempted
    }

    @Test func deviceCountIsCheckedAgainstTheInput() {
        // 1024 is allowed by the cap, but the input holds only one device's worth of bytes: the second record is
        // missing, and nothing was reserved for the 1022 after it.
        let bytes = OpCommon(code: .devListReply).serialized() + [0, 0, 0x04, 0x00] + WireSamples.record().serialized()
        #expect(throws: WireError.truncated(needed: 312, available: 0)) { try DevListReply(parsingAll: bytes) }
        #expect(DevListReply.maxDevices == 1024)
    }

    @Test func deviceCountJustAboveTheCapIsRejected() {
        let bytes = OpCommon(code: .devListReply).serialized() + [0, 0, 0x04, 0x01]
        #expect(throws: WireError.countTooLarge(field: "ndev", value: 1025, limit: 1024)) {
            try DevListReply(parsingAll: bytes)
        }
    }

    @Test func interfaceCountIsCheckedAgainstTheInput() {
        let bytes = WireSamples.record(interfaces: 255).serialized() + Array(repeating: 0, count: 8)
        #expect(throws: WireError.truncated(needed: 255 * 4, available: 8)) { try ExportedDevice(parsingAll: bytes) }
    }
}
