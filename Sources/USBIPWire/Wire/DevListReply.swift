/// `OP_REP_DEVLIST` (0x0005): the exportable devices, each with its interfaces.
///
/// Layout: `op_common{0x0111, 0x0005, status}`, then, when the status is 0, `ndev` (u32) and `ndev` ×
/// (device record (312) + `bNumInterfaces` × interface record (4)). usbipd only ever sends status 0 (it closes the
/// connection instead of failing); a reply with another status is read as the bare header, as the C client stops
/// there, and ``devices`` is then empty.
public struct DevListReply: WireCodable, Hashable {
    /// The most devices a reply may announce; larger `ndev` values are rejected with
    /// ``WireError/countTooLarge(field:value:limit:)`` before anything is allocated.
    ///
    /// Upstream has no limit (it trusts `ndev`). 1024 is far beyond what one host can export (the kernel's
    /// usbip-host `match_busid` table has 16 slots; vhci_hcd has at most a few hundred ports), yet keeps a hostile
    /// reply to about 320 KB plus interfaces.
    public static let maxDevices = 1024
    /// The reply's `op_common.code`.
    public static let code = OpCode.devListReply

    /// `op_common.status` (DEVLIST uses mainline's texts, ``OpStatus/Operation/devList``).
    public var status: OpStatus
    /// The devices, in the server's order.
    public var devices: [ExportedDevice]

    /// Builds a reply; `devices` are only sent when `status` is ``OpStatus/ok``.
    public init(status: OpStatus = .ok, devices: [ExportedDevice]) {
        self.status = status
        self.devices = devices
    }

    /// Writes `op_common`, then (status 0 only) `ndev` and the devices.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: Self.code, status: status).write(to: &w)
        guard status.isSuccess else { return }
        w.writeInteger(UInt32(truncatingIfNeeded: devices.count))
        for device in devices {
            device.write(to: &w)
        }
    }
}
