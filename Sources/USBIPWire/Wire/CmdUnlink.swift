/// `USBIP_CMD_UNLINK` (2): asks the device side to cancel a submitted URB; 48-byte header
/// (`unlink_seqnum`, then 24 unused bytes, ignored on input and written 0).
public struct CmdUnlink: URBHeaderLayout, Hashable {
    /// `USBIP_CMD_UNLINK`.
    public static let command = URBCommand.cmdUnlink

    /// `seqnum`: this request's own, fresh sequence number.
    public var seqnum: UInt32
    /// `devid`: the device's `busnum << 16 | devnum`.
    public var devid: DevID
    /// `direction`: 0, kept as received.
    public var direction: URBDirection
    /// `ep`: 0, kept as received.
    public var ep: UInt32
    /// `unlink_seqnum`: the sequence number of the `CMD_SUBMIT` to cancel.
    public var unlinkSeqnum: UInt32

    /// Builds an unlink header.
    public init(seqnum: UInt32, devid: DevID, direction: URBDirection = .out, ep: UInt32 = 0, unlinkSeqnum: UInt32) {
        self.seqnum = seqnum
        self.devid = devid
        self.direction = direction
        self.ep = ep
        self.unlinkSeqnum = unlinkSeqnum
    }

    /// Parses the 28 bytes after an already-read basic header.
    public init(basic: URBHeaderBasic, parsingRest r: inout ByteReader) throws(WireError) {
        self.seqnum = basic.seqnum
        self.devid = basic.devid
        self.direction = basic.direction
        self.ep = basic.ep
        self.unlinkSeqnum = try r.readInteger()
        try r.skip(count: 24)
    }

    /// Writes the 28 bytes after the basic header.
    public func writeRest(to w: inout ByteWriter) {
        w.writeInteger(unlinkSeqnum)
        w.writeZeros(count: 24)
    }
}
