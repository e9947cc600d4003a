/// `OP_REQ_DEVLIST` (0x8005): asks `usbipd` for its exportable devices; an 8-byte `op_common` with no body.
public struct DevListRequest: WireCodable, Hashable {
    /// The whole PDU's size on the wire.
    public static let byteCount = OpCommon.byteCount
    /// The size of the body after `op_common`.
    public static let bodyByteCount = 0

    /// Builds the request.
    public init() {}

    /// Parses the 8-byte request: version 0x0111, code 0x8005, status 0.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try OpCommon(parsing: &r).expecting(request: .devListRequest)
    }

    /// Writes `op_common{0x0111, 0x8005, 0}`.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: .devListRequest).write(to: &w)
    }
}
