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
    /// The size of the fixed part: `op_common` plus `ndev`.
    public static let headerByteCount = OpCommon.byteCount + 4

    /// `op_common.status` (DEVLIST uses mainline's texts, ``OpStatus/Operation/devList``).
    public var status: OpStatus
    /// The devices, in the server's order.
    public var devices: [ExportedDevice]

    /// Builds a reply; `devices` are only sent when `status` is ``OpStatus/ok``.
    public init(status: OpStatus = .ok, devices: [ExportedDevice]) {
        self.status = status
        self.devices = devices
    }

    /// Parses a whole reply; throws ``WireError/unexpectedReply(expected:received:)`` for another code.
    public init(parsing r: inout ByteReader) throws(WireError) {
        let header = try OpCommon(parsing: &r).expecting(reply: .devListReply)
        try self.init(header: header, parsingBody: &r)
    }

    /// Parses the body that follows an already-read `op_common` (nothing unless its status is 0).
    ///
    /// `ndev` is checked against ``maxDevices`` and against the bytes left (each device needs at least 312) before
    /// any storage is reserved.
    public init(header: OpCommon, parsingBody r: inout ByteReader) throws(WireError) {
        self.status = header.opStatus
        guard status.isSuccess else {
            self.devices = []
            return
        }
        let count = try Self.checkedDeviceCount(r.readInteger(as: UInt32.self))
        try r.require(count * DeviceRecord.byteCount)
        var devices: [ExportedDevice] = []
        devices.reserveCapacity(count)
        for _ in 0..<count {
            devices.append(try ExportedDevice(parsing: &r))
        }
        self.devices = devices
    }

    /// Validates a received `ndev` against ``maxDevices``.
    static func checkedDeviceCount(_ ndev: UInt32) throws(WireError) -> Int {
        guard ndev <= UInt32(maxDevices) else {
            throw .countTooLarge(field: "ndev", value: UInt64(ndev), limit: UInt64(maxDevices))
        }
        return Int(ndev)
    }

    /// Writes `op_common`, then (status 0 only) `ndev` and the devices.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: .devListReply, status: status).write(to: &w)
        guard status.isSuccess else { return }
        w.writeInteger(UInt32(truncatingIfNeeded: devices.count))
        for device in devices {
            device.write(to: &w)
        }
    }
}
