/// `USBIP_RET_UNLINK` (4): the result of a `CMD_UNLINK`; 48-byte header (`status`, then 24 unused bytes, ignored on
/// input and written 0).
///
/// `status` is -104 (`-ECONNRESET`) when the URB was still pending (no `RET_SUBMIT` follows for it), 0 when it had
/// already completed.
public struct RetUnlink: WireCodable, Hashable {
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

    /// Parses a 48-byte header whose command is 4; another command is ``WireError/unknownOpCode(_:)``.
    public init(parsing r: inout ByteReader) throws(WireError) {
        let basic = try URBHeaderBasic.parse(&r, expecting: .retUnlink)
        try self.init(basic: basic, parsingRest: &r)
    }

    /// Parses the 28 bytes after an already-read basic header.
    init(basic: URBHeaderBasic, parsingRest r: inout ByteReader) throws(WireError) {
        self.seqnum = basic.seqnum
        self.devid = basic.devid
        self.direction = basic.direction
        self.ep = basic.ep
        self.status = try r.readInteger()
        try r.skip(count: 24)
    }

    /// The basic header this result starts with.
    public var basic: URBHeaderBasic {
        URBHeaderBasic(
            command: URBCommand.retUnlink.rawValue, seqnum: seqnum, devid: devid, direction: direction, ep: ep
        )
    }

    /// Writes the 48 bytes.
    public func write(to w: inout ByteWriter) {
        basic.write(to: &w)
        w.writeInteger(status)
        w.writeZeros(count: 24)
    }
}
