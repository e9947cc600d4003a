/// A request whose body is one device's 312-byte record after `op_common`: usbip-next's `OP_REQ_EXPORT`
/// (``ExportRequest``) and `OP_REQ_UNEXPORT` (``UnexportRequest``) share this layout and differ only in the code.
public protocol DeviceRecordRequest: WireCodable {
    /// The request's `op_common.code`.
    static var code: OpCode { get }
    /// The record of the device the request is about.
    var device: DeviceRecord { get }
    /// Builds the request for `device`.
    init(device: DeviceRecord)
}

extension DeviceRecordRequest {
    /// The whole PDU's size on the wire (320 bytes).
    public static var byteCount: Int { OpCommon.byteCount + bodyByteCount }
    /// The size of the body after `op_common` (312 bytes).
    public static var bodyByteCount: Int { DeviceRecord.byteCount }

    /// Parses the whole request; another code is ``WireError/unknownOpCode(_:)``.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try OpCommon(parsing: &r).expecting(request: Self.code)
        try self.init(parsingBody: &r)
    }

    /// Parses the 312-byte body that follows `op_common`.
    public init(parsingBody r: inout ByteReader) throws(WireError) {
        self.init(device: try DeviceRecord(parsing: &r))
    }

    /// Writes `op_common{0x0111, code, 0}` and the record.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: Self.code).write(to: &w)
        writeBody(to: &w)
    }

    /// Writes the 312-byte body.
    public func writeBody(to w: inout ByteWriter) {
        device.write(to: &w)
    }
}
