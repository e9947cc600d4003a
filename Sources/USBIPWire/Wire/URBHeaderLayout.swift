/// What the four 48-byte URB headers share: the 20-byte basic header (`struct usbip_header_basic`) whose
/// `command` names the header, then a 28-byte command-specific part. Conforming types give their command, their
/// basic-header fields and how their 28 bytes are read and written; this gives them parsing with the command
/// checked, ``basic`` and ``write(to:)``.
public protocol URBHeaderLayout: WireCodable {
    /// The `command` value this header carries.
    static var command: URBCommand { get }
    /// `seqnum`.
    var seqnum: UInt32 { get }
    /// `devid`.
    var devid: DevID { get }
    /// `direction`.
    var direction: URBDirection { get }
    /// `ep`.
    var ep: UInt32 { get }
    /// Parses the 28 bytes after an already-read basic header.
    init(basic: URBHeaderBasic, parsingRest r: inout ByteReader) throws(WireError)
    /// Writes the 28 bytes after the basic header.
    func writeRest(to w: inout ByteWriter)
}

extension URBHeaderLayout {
    /// Parses a 48-byte header whose command is ``command``; another command is ``WireError/unknownOpCode(_:)``,
    /// fewer than 48 bytes ``WireError/truncated(needed:available:)``.
    public init(parsing r: inout ByteReader) throws(WireError) {
        let basic = try URBHeaderBasic.parse(&r, expecting: Self.command)
        try self.init(basic: basic, parsingRest: &r)
    }

    /// The basic header this header starts with.
    public var basic: URBHeaderBasic {
        URBHeaderBasic(command: Self.command.rawValue, seqnum: seqnum, devid: devid, direction: direction, ep: ep)
    }

    /// Writes the 48 bytes.
    public func write(to w: inout ByteWriter) {
        basic.write(to: &w)
        writeRest(to: &w)
    }
}
