/// Any 48-byte URB header (`struct usbip_header`), told apart by its `command`.
///
/// After a successful IMPORT or EXPORT the connection carries these, owned by the kernel; the userland tools never
/// parse them, but a user-space peer must.
public enum URBHeader: WireCodable, Hashable {
    /// Every URB header's size on the wire: 20-byte basic header + 28-byte command-specific part.
    public static let byteCount = 48

    /// `USBIP_CMD_SUBMIT` (1).
    case cmdSubmit(CmdSubmit)
    /// `USBIP_CMD_UNLINK` (2).
    case cmdUnlink(CmdUnlink)
    /// `USBIP_RET_SUBMIT` (3).
    case retSubmit(RetSubmit)
    /// `USBIP_RET_UNLINK` (4).
    case retUnlink(RetUnlink)

    /// Parses 48 bytes; an unknown command is ``WireError/unknownOpCode(_:)`` (the kernel then drops the connection).
    public init(parsing r: inout ByteReader) throws(WireError) {
        try r.require(Self.byteCount)
        let basic = try URBHeaderBasic(parsing: &r)
        switch basic.urbCommand {
        case .cmdSubmit: self = .cmdSubmit(try CmdSubmit(basic: basic, parsingRest: &r))
        case .cmdUnlink: self = .cmdUnlink(try CmdUnlink(basic: basic, parsingRest: &r))
        case .retSubmit: self = .retSubmit(try RetSubmit(basic: basic, parsingRest: &r))
        case .retUnlink: self = .retUnlink(try RetUnlink(basic: basic, parsingRest: &r))
        case nil: throw .unknownOpCode(basic.command)
        }
    }

    /// Reads exactly one 48-byte header from `stream` and parses it; stream errors are rethrown unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> URBHeader {
        try URBHeader(parsingAll: stream.read(exactly: byteCount))
    }

    /// The basic header the command starts with.
    public var basic: URBHeaderBasic {
        switch self {
        case .cmdSubmit(let header): return header.basic
        case .cmdUnlink(let header): return header.basic
        case .retSubmit(let header): return header.basic
        case .retUnlink(let header): return header.basic
        }
    }

    /// Writes the 48 bytes.
    public func write(to w: inout ByteWriter) {
        switch self {
        case .cmdSubmit(let header): header.write(to: &w)
        case .cmdUnlink(let header): header.write(to: &w)
        case .retSubmit(let header): header.write(to: &w)
        case .retUnlink(let header): header.write(to: &w)
        }
    }
}
