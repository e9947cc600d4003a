/// `OP_REQ_UNEXPORT` (0x8007, usbip-next): `usbip disconnect` withdraws a device it exported to `usbipa`.
///
/// Layout: `op_common{0x0111, 0x8007, 0}`, then the device's 312-byte record (``DeviceRecordRequest``). `usbipa`
/// uses only its `busid`, matched together with the peer's address against its connection records.
public struct UnexportRequest: DeviceRecordRequest, Hashable {
    /// `OP_REQ_UNEXPORT`.
    public static let code = OpCode.unexportRequest

    /// The record of the device being withdrawn.
    public var device: DeviceRecord

    /// Builds a request withdrawing `device`.
    public init(device: DeviceRecord) {
        self.device = device
    }
}
