/// A management reply, as a server produces it or a client parses it by code.
public enum Reply: WireCodable, Hashable {
    /// `OP_REP_DEVLIST` (0x0005).
    case devList(DevListReply)
    /// `OP_REP_IMPORT` (0x0003).
    case importDevice(ImportReply)
    /// `OP_REP_EXPORT` (0x0006, usbip-next).
    case export(ExportReply)
    /// `OP_REP_UNEXPORT` (0x0007, usbip-next).
    case unexport(UnexportReply)

    /// The reply's code.
    public var code: OpCode {
        switch self {
        case .devList: return .devListReply
        case .importDevice: return .importReply
        case .export: return .exportReply
        case .unexport: return .unexportReply
        }
    }

    /// The reply's `op_common.status`.
    public var status: OpStatus {
        switch self {
        case .devList(let reply): return reply.status
        case .importDevice(let reply): return reply.status
        case .export(let reply): return reply.status
        case .unexport(let reply): return reply.status
        }
    }

    /// Parses a whole reply of any of the four kinds, chosen by its code (``ReplyDecoder``); other codes are
    /// ``WireError/unknownOpCode(_:)``.
    public init(parsing r: inout ByteReader) throws(WireError) {
        var decoder = ReplyDecoder(expecting: nil)
        self = try decoder.decode(from: &r)
    }

    /// Writes the whole reply.
    public func write(to w: inout ByteWriter) {
        switch self {
        case .devList(let reply): reply.write(to: &w)
        case .importDevice(let reply): reply.write(to: &w)
        case .export(let reply): reply.write(to: &w)
        case .unexport(let reply): reply.write(to: &w)
        }
    }
}
