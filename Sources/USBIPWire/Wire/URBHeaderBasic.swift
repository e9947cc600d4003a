/// The 20-byte start of every URB header (`struct usbip_header_basic`): five big-endian u32.
public struct URBHeaderBasic: WireCodable, Hashable {
    /// The basic header's size on the wire.
    public static let byteCount = 20

    /// `command`: a ``URBCommand`` raw value, kept as received.
    public var command: UInt32
    /// `seqnum`: assigned by the vhci side; a `RET_*` carries the sequence number of the command it answers.
    public var seqnum: UInt32
    /// `devid`: `busnum << 16 | devnum` of the device from vhci to stub; 0 from stub to vhci.
    public var devid: DevID
    /// `direction`: 0 OUT, 1 IN; 0 in `RET_*` and `CMD_UNLINK`.
    public var direction: URBDirection
    /// `ep`: endpoint number 0…15 (no direction bit); 0 in `RET_*` and `CMD_UNLINK`.
    public var ep: UInt32

    /// Builds a basic header.
    public init(command: UInt32, seqnum: UInt32, devid: DevID, direction: URBDirection, ep: UInt32) {
        self.command = command
        self.seqnum = seqnum
        self.devid = devid
        self.direction = direction
        self.ep = ep
    }

    /// Parses 20 bytes (any command value).
    public init(parsing r: inout ByteReader) throws(WireError) {
        try r.require(Self.byteCount)
        self.command = try r.readInteger()
        self.seqnum = try r.readInteger()
        self.devid = DevID(rawValue: try r.readInteger())
        self.direction = URBDirection(rawValue: try r.readInteger())
        self.ep = try r.readInteger()
    }

    /// Writes the 20 bytes.
    public func write(to w: inout ByteWriter) {
        w.writeInteger(command)
        w.writeInteger(seqnum)
        w.writeInteger(devid.rawValue)
        w.writeInteger(direction.rawValue)
        w.writeInteger(ep)
    }

    /// The command as a ``URBCommand``, or `nil` for an unknown value.
    public var urbCommand: URBCommand? { URBCommand(rawValue: command) }

    /// Parses the basic header of a 48-byte URB header and checks its command is `expected`.
    ///
    /// Checks that all 48 bytes are present first, so a short header is always
    /// ``WireError/truncated(needed:available:)``.
    static func parse(_ r: inout ByteReader, expecting expected: URBCommand) throws(WireError) -> URBHeaderBasic {
        try r.require(URBHeader.byteCount)
        let basic = try URBHeaderBasic(parsing: &r)
        guard basic.command == expected.rawValue else { throw .unknownOpCode(basic.command) }
        return basic
    }
}
