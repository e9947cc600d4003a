/// The id a device has on the wire: `(busnum << 16) | devnum` (kernel `devid` in `struct usbip_header_basic`
/// and in vhci_hcd's `attach`), computed here from full 16-bit halves (the C tools truncate both to 8 bits).
public struct DevID: Hashable, Sendable, CustomStringConvertible {
    /// The 32-bit value as sent on the wire and written to `attach`.
    public let rawValue: UInt32

    /// Wraps a raw 32-bit devid.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Builds the devid of device `devnum` on bus `busnum`; each is kept to its 16 bits as the kernel does.
    public init(busnum: UInt32, devnum: UInt32) {
        self.rawValue = (busnum & 0xFFFF) << 16 | (devnum & 0xFFFF)
    }

    /// The bus number (upper 16 bits).
    public var busnum: UInt32 { rawValue >> 16 }
    /// The device number (lower 16 bits).
    public var devnum: UInt32 { rawValue & 0xFFFF }

    /// Eight hex digits, as vhci_hcd's `status` prints it (`%08x`).
    public var description: String {
        Hex.digits(rawValue, width: 8)
    }
}
