/// `OP_REQ_UNEXPORT` (0x8007, usbip-next): `usbip disconnect` withdraws a device it exported to `usbipa`.
///
/// Layout: `op_common{0x0111, 0x8007, 0}`, then the device's 312-byte record. `usbipa` uses only its `busid`,
/// matched together with the peer's address against its connection records.
public struct UnexportRequest: WireCodable, Hashable {
    /// The whole PDU's size on the wire.
    public static let byteCount = OpCommon.byteCount + bodyByteCount
    /// The size of the body after `op_common`.
    public static let bodyByteCount = DeviceRecord.byteCount

    /// The record of the device being withdrawn.
    public var device: DeviceRecord

    /// Builds a request withdrawing `device`.
    public init(device: DeviceRecord) {
        self.device = device
    }

    /// Parses the whole 320-byte request.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try OpCommon(parsing: &r).expecting(request: .unexportRequest)
        try self.init(parsingBody: &r)
    }

    /// Parses the 312-byte body that follows `op_common`.
    public init(parsingBody r: inout ByteReader) throws(WireError) {
        self.device = try DeviceRecord(parsing: &r)
    }

    /// Writes `op_common` and the record.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: .unexportRequest).write(to: &w)
        writeBody(to: &w)
    }

    /// Writes the 312-byte body.
    public func writeBody(to w: inout ByteWriter) {
        device.write(to: &w)
    }
}
