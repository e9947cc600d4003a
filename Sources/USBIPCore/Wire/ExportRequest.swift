/// `OP_REQ_EXPORT` (0x8006, usbip-next): `usbip connect` offers a local device to `usbipa`.
///
/// Layout: `op_common{0x0111, 0x8006, 0}`, then the device's 312-byte record. `usbipa` attaches it to vhci_hcd
/// using the record's busnum, devnum and speed.
public struct ExportRequest: WireCodable, Hashable {
    /// The whole PDU's size on the wire.
    public static let byteCount = OpCommon.byteCount + bodyByteCount
    /// The size of the body after `op_common`.
    public static let bodyByteCount = DeviceRecord.byteCount

    /// The record of the device being exported.
    public var device: DeviceRecord

    /// Builds a request exporting `device`.
    public init(device: DeviceRecord) {
        self.device = device
    }

    /// Parses the whole 320-byte request.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try OpCommon(parsing: &r).expecting(request: .exportRequest)
        try self.init(parsingBody: &r)
    }

    /// Parses the 312-byte body that follows `op_common`.
    public init(parsingBody r: inout ByteReader) throws(WireError) {
        self.device = try DeviceRecord(parsing: &r)
    }

    /// Writes `op_common` and the record.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: .exportRequest).write(to: &w)
        writeBody(to: &w)
    }

    /// Writes the 312-byte body.
    public func writeBody(to w: inout ByteWriter) {
        device.write(to: &w)
    }
}
