/// `OP_REP_EXPORT` (0x0006, usbip-next): `usbipa`'s answer to an export; the bare 8-byte `op_common`
/// (``StatusOnlyReply``).
///
/// There is no body: pre-v14 versions of the series appended a 4-byte `returncode`, v14 dropped it, and the device
/// side hands the socket to the kernel right after these 8 bytes, so anything more would be read as a URB header.
/// Statuses use usbip-next's texts (``OpStatus/Operation/export``): 1 failure, 2 no free port.
public struct ExportReply: StatusOnlyReply, Hashable {
    /// `OP_REP_EXPORT`.
    public static let code = OpCode.exportReply

    /// `op_common.status`.
    public var status: OpStatus

    /// Builds a reply.
    public init(status: OpStatus) {
        self.status = status
    }
}
