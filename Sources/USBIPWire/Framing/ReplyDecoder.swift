/// Decodes one management reply as a client reads it, by exact steps: the 8-byte `op_common`; then for
/// `OP_REP_DEVLIST` with status 0 the 4-byte `ndev` and, per device, the 312-byte record and `bNumInterfaces` ×
/// 4 bytes; for `OP_REP_IMPORT` with status 0 the 312-byte record; `OP_REP_EXPORT` and `OP_REP_UNEXPORT` are only
/// the header. A reply with a failure status is the bare header, as the C clients stop there.
///
/// Another code than ``expected`` is ``WireError/unexpectedReply(expected:received:)`` (mainline's "Unexpected
/// response"); `ndev` above ``DevListReply/maxDevices`` is ``WireError/countTooLarge(field:value:limit:)`` before a
/// device is read, and no storage is reserved for devices that have not arrived.
public struct ReplyDecoder: PDUDecoder {
    /// The reply code the client waits for, or `nil` to take any of the four replies.
    public let expected: OpCode?
    private var buffer = StepBuffer(length: OpCommon.byteCount)
    private var stage = Stage.header
    private var status = OpStatus.ok
    private var devices: [ExportedDevice] = []

    /// Where in the reply the decoder is.
    private enum Stage {
        case header
        case deviceCount
        case record(remaining: Int)
        case interfaces(DeviceRecord, remaining: Int)
        case importRecord
    }

    /// A decoder for the reply `expected` (`.devListReply`, `.importReply`, `.exportReply`, `.unexportReply`), or
    /// for any of them when `nil`.
    public init(expecting expected: OpCode?) {
        self.expected = expected
    }

    /// The bytes still needed for the current step.
    public var bytesNeeded: Int { buffer.missing }

    /// Takes the next bytes and advances through the reply's steps.
    public mutating func feed(_ bytes: ArraySlice<UInt8>) throws(WireError) -> DecodingStep<Reply> {
        guard var reader = buffer.take(bytes) else { return .needMore(buffer.missing) }
        switch stage {
        case .header:
            let header = try OpCommon(parsing: &reader)
            if let expected { try header.expecting(reply: expected) }
            status = header.opStatus
            switch header.opCode {
            case .devListReply:
                guard status.isSuccess else { return .done(.devList(DevListReply(status: status, devices: []))) }
                return next(.deviceCount, length: 4)
            case .importReply:
                guard status.isSuccess else { return .done(.importDevice(.failure(status))) }
                return next(.importRecord, length: DeviceRecord.byteCount)
            case .exportReply: return .done(.export(ExportReply(status: status)))
            case .unexportReply: return .done(.unexport(UnexportReply(status: status)))
            default: throw .unknownOpCode(UInt32(header.code))
            }
        case .deviceCount:
            let ndev = try reader.readInteger(as: UInt32.self)
            guard ndev <= UInt32(DevListReply.maxDevices) else {
                throw .countTooLarge(field: "ndev", value: UInt64(ndev), limit: UInt64(DevListReply.maxDevices))
            }
            return nextDevice(remaining: Int(ndev))
        case .record(let remaining):
            let record = try DeviceRecord(parsing: &reader)
            let length = ExportedDevice.interfacesByteCount(of: record)
            guard length > 0 else {
                devices.append(ExportedDevice(record: record, interfaces: []))
                return nextDevice(remaining: remaining - 1)
            }
            return next(.interfaces(record, remaining: remaining), length: length)
        case .interfaces(let record, let remaining):
            devices.append(try ExportedDevice(record: record, parsingInterfaces: &reader))
            return nextDevice(remaining: remaining - 1)
        case .importRecord:
            return .done(.importDevice(ImportReply(status: status, device: try DeviceRecord(parsing: &reader))))
        }
    }

    private mutating func next(_ stage: Stage, length: Int) -> DecodingStep<Reply> {
        self.stage = stage
        buffer.next(length: length)
        return .needMore(length)
    }

    private mutating func nextDevice(remaining: Int) -> DecodingStep<Reply> {
        guard remaining > 0 else { return .done(.devList(DevListReply(status: status, devices: devices))) }
        return next(.record(remaining: remaining), length: DeviceRecord.byteCount)
    }
}
