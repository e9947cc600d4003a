/// `OP_REP_UNEXPORT` (0x0007, usbip-next): `usbipa`'s answer to an unexport; the bare 8-byte `op_common`
/// (``StatusOnlyReply``).
///
/// There is no body (pre-v14 versions of the series appended a 4-byte `returncode`; v14 dropped it).
/// Statuses use usbip-next's texts (``OpStatus/Operation/unexport``): 1 failure, 3 device not found.
public struct UnexportReply: StatusOnlyReply, Hashable {
    /// `OP_REP_UNEXPORT`.
    public static let code = OpCode.unexportReply

    /// `op_common.status`.
    public var status: OpStatus

    /// Builds a reply.
    public init(status: OpStatus) {
        self.status = status
    }
}
