/// Why a byte string is not a valid USB/IP PDU. Parsing never traps: every malformed input maps to one of these.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended early: `needed` bytes were required at this point, `available` were left.
    case truncated(needed: Int, available: Int)
    /// `op_common.version` is not `0x0111` (`USBIP_VERSION`).
    case unsupportedVersion(UInt16)
    /// `op_common.code` (or a URB header's `command`) is not one this PDU accepts.
    case unknownOpCode(UInt32)
    /// A count read from the wire (`ndev`, `bNumInterfaces`, `number_of_packets`, a length) exceeds the allowed bound.
    case countTooLarge(field: String, value: UInt64, limit: UInt64)
    /// A bus id field is empty, not NUL-terminated, holds bytes after its NUL, or is not a valid ``BusID``.
    case invalidBusID
    /// A fixed-size string field (such as the 256-byte `path`) is not NUL-terminated or not valid text.
    case invalidString(field: String)
    /// A reply carried a different code than the request expects.
    case unexpectedReply(expected: UInt16, received: UInt16)
    /// A field holds a value the protocol does not allow (`field` names it).
    case invalidValue(field: String, value: UInt64)

    /// One line naming what is wrong with the bytes.
    public var description: String {
        switch self {
        case .truncated(let needed, let available):
            return "truncated message: needed \(needed) more bytes, \(available) available"
        case .unsupportedVersion(let v):
            return "unsupported protocol version 0x\(Hex.digits(v, width: 0)) (expected 0x111)"
        case .unknownOpCode(let c):
            return "unknown operation code 0x\(Hex.digits(c, width: 0))"
        case .countTooLarge(let field, let value, let limit):
            return "\(field) \(value) exceeds the limit of \(limit)"
        case .invalidBusID:
            return "invalid bus id field"
        case .invalidString(let field):
            return "invalid \(field) field"
        case .unexpectedReply(let expected, let received):
            return "unexpected reply code 0x\(Hex.digits(received, width: 0)) (expected 0x\(Hex.digits(expected, width: 0)))"
        case .invalidValue(let field, let value):
            return "invalid \(field) value \(value)"
        }
    }
}
