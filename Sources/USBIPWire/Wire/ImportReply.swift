/// `OP_REP_IMPORT` (0x0003): the answer to an import; on success the connection then carries URB traffic.
///
/// Layout: `op_common{0x0111, 0x0003, status}`, then the 312-byte device record only when the status is 0.
/// Statuses use mainline's texts (``OpStatus/Operation/importDevice``).
public struct ImportReply: WireCodable, Hashable {
    /// The reply's `op_common.code`.
    public static let code = OpCode.importReply

    /// `op_common.status`.
    public var status: OpStatus
    /// The imported device's record; present exactly when ``status`` is 0.
    public var device: DeviceRecord?

    /// Builds a reply; `device` is only sent when `status` is ``OpStatus/ok``.
    public init(status: OpStatus, device: DeviceRecord?) {
        self.status = status
        self.device = device
    }

    /// A success reply carrying `device`.
    public static func success(_ device: DeviceRecord) -> ImportReply {
        ImportReply(status: .ok, device: device)
    }

    /// A failure reply (no body).
    public static func failure(_ status: OpStatus) -> ImportReply {
        ImportReply(status: status, device: nil)
    }

    /// Writes `op_common`, then the record when the status is 0.
    ///
    /// A success reply must carry a record; one built without it (a programming error) is written with 312 zero bytes,
    /// so the peer still reads a whole PDU and then rejects its empty bus id. A failure reply never carries a record.
    public func write(to w: inout ByteWriter) {
        OpCommon(code: Self.code, status: status).write(to: &w)
        guard status.isSuccess else { return }
        if let device {
            device.write(to: &w)
        } else {
            w.writeZeros(count: DeviceRecord.byteCount)
        }
    }
}
