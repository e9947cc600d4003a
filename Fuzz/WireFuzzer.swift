// libFuzzer entry for the USB/IP wire codec: the USBIPWire target as it is (its public API), built by Scripts/fuzz.
//
// The first input byte selects a target; the rest is fed to it. Every target must never trap on any input, and
// every value it parses must survive a round trip: serialize(parse(x)) parses again to an equal value, consuming
// exactly the bytes written, and re-serializes to the same bytes. The stream receivers and the incremental decoders
// fed in fuzz-chosen chunks must agree with the buffer parsers. Any violation calls fatalError, which libFuzzer reports as a crash.

import USBIPWire

/// The end of a fuzz stream's input.
struct EndOfInput: Error {}

/// A ByteStream over the fuzz input that fails at its end, like a closed socket.
struct FuzzStream: ByteStream {
    var input: [UInt8]
    var position = 0
    var output: [UInt8] = []

    init(_ input: [UInt8]) { self.input = input }

    mutating func read(exactly count: Int) throws -> [UInt8] {
        guard count >= 0, count <= input.count - position else { throw EndOfInput() }
        defer { position += count }
        return Array(input[position..<position + count])
    }

    mutating func write(_ bytes: [UInt8]) throws { output += bytes }
}

/// Parses `T` at the start of `bytes` and checks the round trip; returns the value and the bytes it consumed.
@discardableResult
func roundTrip<T: WireCodable>(_: T.Type, _ bytes: [UInt8]) -> (value: T, consumed: Int)? {
    var reader = ByteReader(bytes)
    guard let value = try? T(parsing: &reader) else { return nil }
    check(value, consumed: reader.readerIndex)
    return (value, reader.readerIndex)
}

/// Checks that `value` (parsed from `consumed` bytes) re-serializes to as many bytes, which parse back to it.
func check<T: WireCodable>(_ value: T, consumed: Int) {
    let written = value.serialized()
    guard written.count == consumed else {
        fatalError("\(T.self): parsed \(consumed) bytes but wrote \(written.count)")
    }
    var reader = ByteReader(written)
    let again: T
    do {
        again = try T(parsing: &reader)
    } catch {
        fatalError("\(T.self): re-parse of own output failed: \(error)")
    }
    guard again == value else { fatalError("\(T.self): round trip changed the value:\n\(value)\n\(again)") }
    guard reader.remaining == 0 else { fatalError("\(T.self): re-parse left \(reader.remaining) bytes") }
    guard again.serialized() == written else { fatalError("\(T.self): second serialization differs") }
}

/// Runs a stream receiver and the buffer parser on the same bytes and checks they agree.
func differential<T: WireCodable>(
    _: T.Type, _ bytes: [UInt8], receive: (inout FuzzStream) throws -> T
) {
    var stream = FuzzStream(bytes)
    let received = try? receive(&stream)
    let parsed = roundTrip(T.self, bytes)
    switch (received, parsed) {
    case (nil, nil):
        return
    case (let received?, let parsed?):
        guard received == parsed.value else { fatalError("\(T.self): receive and parse disagree") }
        guard stream.position == parsed.consumed else {
            fatalError("\(T.self): receive read \(stream.position) bytes, parse consumed \(parsed.consumed)")
        }
    default:
        fatalError("\(T.self): receive \(received == nil ? "failed" : "succeeded"), parse did not")
    }
}

/// Feeds a decoder the input after its first byte in chunks whose sizes that byte seeds (as a non-blocking reader
/// gets them from `recv`) and checks it agrees with the whole-buffer parser: same value from the same bytes, or
/// both refusing.
func chunked<D: PDUDecoder, T: WireCodable>(_ decoder: D, _: T.Type, _ bytes: [UInt8]) where D.Value == T {
    guard let seed = bytes.first else { return }
    let input = Array(bytes.dropFirst())
    var decoder = decoder
    var state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15
    var offset = 0
    var decoded: T? = nil
    do {
        while offset < input.count, decoded == nil {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let size = min(1 + Int(state >> 59), decoder.bytesNeeded, input.count - offset)
            if case .done(let value) = try decoder.feed(input[offset..<offset + size]) { decoded = value }
            offset += size
        }
    } catch {
        decoded = nil
    }
    let parsed = roundTrip(T.self, input)
    switch (decoded, parsed) {
    case (nil, nil): return
    case (let decoded?, let parsed?):
        guard decoded == parsed.value, offset == parsed.consumed else { fatalError("\(T.self): chunked decode disagrees") }
    default:
        fatalError("\(T.self): chunked decode \(decoded == nil ? "failed" : "succeeded"), parse did not")
    }
}

/// The targets, selected by the first input byte (modulo their count).
let targets: [@Sendable ([UInt8]) -> Void] = [
    { roundTrip(OpCommon.self, $0) },
    { roundTrip(DevListRequest.self, $0) },
    { roundTrip(DevListReply.self, $0) },
    { roundTrip(ImportRequest.self, $0) },
    { roundTrip(ImportReply.self, $0) },
    { roundTrip(ExportRequest.self, $0) },
    { roundTrip(ExportReply.self, $0) },
    { roundTrip(UnexportRequest.self, $0) },
    { roundTrip(UnexportReply.self, $0) },
    { roundTrip(Request.self, $0) },
    { roundTrip(Reply.self, $0) },
    { roundTrip(DeviceRecord.self, $0) },
    { roundTrip(InterfaceRecord.self, $0) },
    { roundTrip(ExportedDevice.self, $0) },
    { roundTrip(BusID.self, $0) },
    // Raw reader primitives with fuzz-chosen sizes.
    { bytes in
        guard let first = bytes.first else { return }
        var reader = ByteReader(Array(bytes.dropFirst()))
        if let text = try? reader.readFixedString(count: Int(first)) {
            var writer = ByteWriter()
            writer.writeFixedString(text, count: Int(first))
            var again = ByteReader(writer.bytes)
            guard (try? again.readFixedString(count: Int(first))) == text else { fatalError("fixed string changed") }
        }
        _ = try? reader.readInteger(as: Int64.self)
        _ = try? reader.readInteger(as: Int16.self)
        _ = try? reader.readBytes(count: Int(first) - 128)
    },
    { differential(DevListReply.self, $0) { try DevListReply.receive(from: &$0) } },
    { differential(ImportReply.self, $0) { try ImportReply.receive(from: &$0) } },
    { differential(ExportReply.self, $0) { try ExportReply.receive(from: &$0) } },
    { differential(UnexportReply.self, $0) { try UnexportReply.receive(from: &$0) } },
    { differential(Request.self, $0) { try $0.receive(RequestDecoder()) } },
    { differential(Reply.self, $0) { try $0.receive(ReplyDecoder(expecting: nil)) } },
    { chunked(RequestDecoder(), Request.self, $0) },
    { chunked(ReplyDecoder(expecting: nil), Reply.self, $0) },
]

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    targets[Int(bytes[0]) % targets.count](Array(bytes.dropFirst()))
    return 0
}
