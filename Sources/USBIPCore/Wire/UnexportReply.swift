/// `OP_REP_UNEXPORT` (0x0007, usbip-next): `usbipa`'s answer to an unexport; the bare 8-byte `op_common`.
///
/// There is no body (pre-v14 versions of the series appended a 4-byte `returncode`; v14 dropped it).
/// Statuses use usbip-next's texts (``OpStatus/Operation/unexport``): 1 failure, 3 device not found.
public struct UnexportReply: WireCodable, Hashable {
    /// The whole PDU's size on the wire.
    public static let byteCount = OpCommon.byteCount

    /// `op_common.status`.
    public var status: OpStatus

    /// Builds a reply.
    public init(status: OpStatus) {
        self.status = status
    }

    /// Parses the 8-byte reply; throws ``WireError/unexpectedReply(expected:received:)`` for another code.
    public init(parsing r: inout ByteReader) throws(WireError) {
        let header = try OpCommon(parsing: &r).expecting(reply: .unexportReply)
        self.init(header: header)
    }

    /// Takes the status of an already-read `op_common` (there is no body).
    public init(header: OpCommon) {
        self.status = header.opStatus
    }

    /// Writes `op_common{0x0111, 0x0007, status}`.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: .unexportReply, status: status).write(to: &w)
    }
}
