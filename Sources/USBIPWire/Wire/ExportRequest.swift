/// `OP_REQ_EXPORT` (0x8006, usbip-next): `usbip connect` offers a local device to `usbipa`.
///
/// Layout: `op_common{0x0111, 0x8006, 0}`, then the device's 312-byte record (``DeviceRecordRequest``). `usbipa`
/// attaches it to vhci_hcd using the record's busnum, devnum and speed.
public struct ExportRequest: DeviceRecordRequest, Hashable {
    /// `OP_REQ_EXPORT`.
    public static let code = OpCode.exportRequest

    /// The record of the device being exported.
    public var device: DeviceRecord

    /// Builds a request exporting `device`.
    public init(device: DeviceRecord) {
        self.device = device
    }
}
