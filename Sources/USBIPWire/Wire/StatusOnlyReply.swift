/// A reply that is only the 8-byte `op_common`, its status being all it says: usbip-next's `OP_REP_EXPORT`
/// (``ExportReply``) and `OP_REP_UNEXPORT` (``UnexportReply``) share this layout and differ only in the code.
public protocol StatusOnlyReply: ManagementReply {
    /// `op_common.status`.
    var status: OpStatus { get }
    /// Builds a reply with `status`.
    init(status: OpStatus)
}

extension StatusOnlyReply {
    /// The whole PDU's size on the wire (8 bytes).
    public static var byteCount: Int { OpCommon.byteCount }

    /// The status of `reply` when it is of this kind.
    public init?(_ reply: Reply) {
        guard reply.code == Self.code else { return nil }
        self.init(status: reply.status)
    }

    /// Writes `op_common{0x0111, code, status}`.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: Self.code, status: status).write(to: &w)
    }
}
