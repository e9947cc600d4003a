/// `USBIP_RET_UNLINK` (4): the result of a `CMD_UNLINK`; 48-byte header (`status`, then 24 unused bytes, ignored on
/// input and written 0).
///
/// `status` is -104 (`-ECONNRESET`) when the URB was still pending (no `RET_SUBMIT` follows for it), 0 when it had
/// already completed.
public struct RetUnlink: URBHeaderLayout, Hashable {
    /// `USBIP_RET_UNLINK`.
    public static let command = URBCommand.retUnlink

    /// `seqnum`: the sequence number of the `CMD_UNLINK` this answers.
    public var seqnum: UInt32
    /// `devid`: 0 from the stub, kept as received.
    public var devid: DevID
    /// `direction`: 0, kept as received.
    public var direction: URBDirection
    /// `ep`: 0, kept as received.
    public var ep: UInt32
    /// `status` (s32): 0 or a negative Linux errno.
    public var status: Int32

    /// Builds an unlink result header.
    public init(
        seqnum: UInt32, devid: DevID = DevID(rawValue: 0), direction: URBDirection = .out, ep: UInt32 = 0, status: Int32
    ) {
        self.seqnum = seqnum
        self.devid = devid
        self.direction = direction
        self.ep = ep
        self.status = status
    }

    /// Parses the 28 bytes after an already-read basic header.
    public init(basic: URBHeaderBasic, parsingRest r: inout ByteReader) throws(WireError) {
        self.seqnum = basic.seqnum
        self.devid = basic.devid
        self.direction = basic.direction
        self.ep = basic.ep
        self.status = try r.readInteger()
        try r.skip(count: 24)
    }

    /// Writes the 28 bytes after the basic header.
    public func writeRest(to w: inout ByteWriter) {
        w.writeInteger(status)
        w.writeZeros(count: 24)
    }
}
