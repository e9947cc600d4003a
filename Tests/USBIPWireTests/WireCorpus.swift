import Testing
import USBIPWire
import USBIPTestSupport

/// What happened to bytes fed to a parser.
enum RoundTrip: Equatable {
    /// The parser threw a WireError.
    case rejected
    /// The value parsed, and serialize(parse(x)) parsed again to an equal value from exactly the bytes written.
    case stable
    /// The value parsed but did not survive the round trip.
    case unstable(String)
}

/// One sample of every PDU and wire structure, with a parser that reads it back; shared by the round-trip,
/// truncation and random-input tests.
struct WireSample: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    /// Parses a value of the sample's type at the reader's position and says whether it equals the sample.
    let parse: @Sendable (inout ByteReader) throws(WireError) -> Bool
    /// Parses arbitrary bytes as the sample's type and checks the round trip of whatever parses.
    let roundTrip: @Sendable ([UInt8]) -> RoundTrip

    init<T: WireCodable>(_ name: String, _ value: T) {
        self.name = name
        self.bytes = value.serialized()
        self.parse = { (r: inout ByteReader) throws(WireError) -> Bool in try T(parsing: &r) == value }
        self.roundTrip = { WireCorpus.roundTrip(T.self, $0) }
    }

    var testDescription: String { name }
}

enum WireCorpus {
    static let record = WireSamples.record()
    static let device = WireSamples.device(busid: "3-3.2", interfaceCount: 3)
    static let bare = WireSamples.device(busid: "1-1", interfaceCount: 0)

    static let samples: [WireSample] = [
        WireSample("OpCommon", OpCommon(code: .importReply, status: .deviceError)),
        WireSample("DevListRequest", DevListRequest()),
        WireSample("DevListReply empty", DevListReply(devices: [])),
        WireSample("DevListReply", DevListReply(devices: [device, bare])),
        WireSample("DevListReply failed", DevListReply(status: .na, devices: [])),
        WireSample("ImportRequest", ImportRequest(busid: BusID("usbip-vudc.0")!)),
        WireSample("ImportReply ok", ImportReply.success(record)),
        WireSample("ImportReply busy", ImportReply.failure(.deviceBusy)),
        WireSample("ExportRequest", ExportRequest(device: record)),
        WireSample("ExportReply", ExportReply(status: .ok)),
        WireSample("ExportReply no free port", ExportReply(status: .exportNoFreePort)),
        WireSample("UnexportRequest", UnexportRequest(device: record)),
        WireSample("UnexportReply", UnexportReply(status: .exportDeviceNotFound)),
        WireSample("Request devList", Request.devList),
        WireSample("Request import", Request.importDevice(ImportRequest(busid: BusID("1-2")!))),
        WireSample("Request export", Request.export(ExportRequest(device: record))),
        WireSample("Request unexport", Request.unexport(UnexportRequest(device: record))),
        WireSample("Reply devList", Reply.devList(DevListReply(devices: [device]))),
        WireSample("Reply import", Reply.importDevice(.success(record))),
        WireSample("Reply export", Reply.export(ExportReply(status: .na))),
        WireSample("Reply unexport", Reply.unexport(UnexportReply(status: .ok))),
        WireSample("DeviceRecord", record),
        WireSample(
            "InterfaceRecord", InterfaceRecord(bInterfaceClass: 0xFF, bInterfaceSubClass: 0x42, bInterfaceProtocol: 1)
        ),
        WireSample("ExportedDevice", device),
        WireSample("BusID", BusID("1-1.4.3")!),
    ]

    /// Every parser of the package, for feeding arbitrary bytes.
    static let parsers: [(name: String, parse: @Sendable ([UInt8]) -> RoundTrip)] = [
        ("OpCommon", { roundTrip(OpCommon.self, $0) }),
        ("DevListRequest", { roundTrip(DevListRequest.self, $0) }),
        ("DevListReply", { roundTrip(DevListReply.self, $0) }),
        ("ImportRequest", { roundTrip(ImportRequest.self, $0) }),
        ("ImportReply", { roundTrip(ImportReply.self, $0) }),
        ("ExportRequest", { roundTrip(ExportRequest.self, $0) }),
        ("ExportReply", { roundTrip(ExportReply.self, $0) }),
        ("UnexportRequest", { roundTrip(UnexportRequest.self, $0) }),
        ("UnexportReply", { roundTrip(UnexportReply.self, $0) }),
        ("Request", { roundTrip(Request.self, $0) }),
        ("Reply", { roundTrip(Reply.self, $0) }),
        ("DeviceRecord", { roundTrip(DeviceRecord.self, $0) }),
        ("InterfaceRecord", { roundTrip(InterfaceRecord.self, $0) }),
        ("ExportedDevice", { roundTrip(ExportedDevice.self, $0) }),
        ("BusID", { roundTrip(BusID.self, $0) }),
        ("DevListReply.receive", { receive(DevListReply.self, $0) { try DevListReply.receive(from: &$0) } }),
        ("ImportReply.receive", { receive(ImportReply.self, $0) { try ImportReply.receive(from: &$0) } }),
        ("ExportReply.receive", { receive(ExportReply.self, $0) { try ExportReply.receive(from: &$0) } }),
        ("UnexportReply.receive", { receive(UnexportReply.self, $0) { try UnexportReply.receive(from: &$0) } }),
        ("Request.receive", { receive(Request.self, $0) { try $0.receive(RequestDecoder()) } }),
        ("Reply.receive", { receive(Reply.self, $0) { try $0.receive(ReplyDecoder(expecting: nil)) } }),
    ]

    /// Parses `T` at the start of `bytes`; if that works, checks that its serialization has the length consumed and
    /// parses back to an equal value.
    static func roundTrip<T: WireCodable>(_: T.Type, _ bytes: [UInt8]) -> RoundTrip {
        var reader = ByteReader(bytes)
        guard let value = try? T(parsing: &reader) else { return .rejected }
        let written = value.serialized()
        guard written.count == reader.readerIndex else {
            return .unstable("\(T.self): consumed \(reader.readerIndex), wrote \(written.count)")
        }
        guard let again = try? T(parsingAll: written), again == value else {
            return .unstable("\(T.self): \(value) did not parse back")
        }
        return .stable
    }

    /// Runs a stream receiver on `bytes` and checks it agrees with the buffer parser (same value, same bytes read).
    static func receive<T: WireCodable>(
        _: T.Type, _ bytes: [UInt8], _ body: (inout MemoryStream) throws -> T
    ) -> RoundTrip {
        var stream = MemoryStream(input: bytes)
        let received = try? body(&stream)
        var reader = ByteReader(bytes)
        let parsed = try? T(parsing: &reader)
        switch (received, parsed) {
        case (nil, nil): return .rejected
        case (let received?, let parsed?) where received == parsed && stream.inputIndex == reader.readerIndex:
            return roundTrip(T.self, bytes)
        default: return .unstable("\(T.self): receive and parse disagree")
        }
    }
}
