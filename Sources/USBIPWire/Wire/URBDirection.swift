/// The `direction` of a URB header (`USBIP_DIR_OUT` 0, `USBIP_DIR_IN` 1); other values are kept as received.
public struct URBDirection: RawRepresentable, Hashable, Sendable {
    /// The 32-bit value as sent on the wire.
    public let rawValue: UInt32

    /// Wraps a raw direction value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `USBIP_DIR_OUT` (0): host to device; also the value in `RET_*` and `CMD_UNLINK` headers.
    public static let out = URBDirection(rawValue: 0)
    /// `USBIP_DIR_IN` (1): device to host.
    public static let `in` = URBDirection(rawValue: 1)
}
