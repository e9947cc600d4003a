/// A reply that is only the 8-byte `op_common`, its status being all it says: usbip-next's `OP_REP_EXPORT`
/// (``ExportReply``) and `OP_REP_UNEXPORT` (``UnexportReply``) share this layout and differ only in the code.
public protocol StatusOnlyReply: WireCodable {
    /// The reply's `op_common.code`.
    static var code: OpCode { get }
    /// `op_common.status`.
    var status: OpStatus { get }
    /// Builds a reply with `status`.
    init(status: OpStatus)
}

extension StatusOnlyReply {
    /// The whole PDU's size on the wire (8 bytes).
    public static var byteCount: Int { OpCommon.byteCount }

    /// Parses the 8-byte reply with ``ReplyDecoder``; another code is
    /// ``WireError/unexpectedReply(expected:received:)``.
    public init(parsing r: inout ByteReader) throws(WireError) {
        var decoder = ReplyDecoder(expecting: Self.code)
        self.init(status: try decoder.decode(from: &r).status)
    }

    /// Writes `op_common{0x0111, code, status}`.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: Self.code, status: status).write(to: &w)
    }
}
