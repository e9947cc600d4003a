/// `OP_REQ_IMPORT` (0x8003): asks `usbipd` to export one device over this connection.
///
/// Layout: `op_common{0x0111, 0x8003, 0}`, then `busid[32]` (NUL-padded). A bus id that fails ``BusID`` validation
/// makes parsing throw ``WireError/invalidBusID``; mainline usbipd would answer such a request with `ST_NODEV`
/// (no such device), which a server may still do.
public struct ImportRequest: WireCodable, Hashable {
    /// The whole PDU's size on the wire.
    public static let byteCount = OpCommon.byteCount + bodyByteCount
    /// The size of the body after `op_common`.
    public static let bodyByteCount = BusID.wireByteCount

    /// The bus id of the device to import.
    public var busid: BusID

    /// Builds a request for `busid`.
    public init(busid: BusID) {
        self.busid = busid
    }

    /// Parses the whole 40-byte request.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try OpCommon(parsing: &r).expecting(request: .importRequest)
        try self.init(parsingBody: &r)
    }

    /// Parses the 32-byte body that follows `op_common`.
    public init(parsingBody r: inout ByteReader) throws(WireError) {
        self.busid = try BusID(parsing: &r)
    }

    /// Writes `op_common` and the bus id.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: .importRequest).write(to: &w)
        writeBody(to: &w)
    }

    /// Writes the 32-byte body.
    public func writeBody(to w: inout ByteWriter) {
        busid.write(to: &w)
    }
}
