/// A USB bus id: the kernel's name of a USB device on its bus, such as `1-2` or `3-3.2`,
/// or the platform device name of a virtual UDC (`usbip-vudc.0`).
///
/// The kernel keeps bus ids in `char busid[BUSID_SIZE]` with `BUSID_SIZE` 32, so at most 31 characters fit;
/// the wire carries them in a 32-byte NUL-padded field. A valid bus id is 1…31 printable ASCII characters
/// without `/` or spaces, which also keeps it safe to join onto a sysfs path.
public struct BusID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The longest bus id the kernel and the wire accept (`BUSID_SIZE` − 1).
    public static let maxLength = 31

    /// The bus id as the kernel spells it.
    public let rawValue: String

    /// Validates `string` as a bus id; `nil` when it is empty, too long, or holds `/`, spaces or non-ASCII bytes.
    public init?(_ string: String) {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty, bytes.count <= BusID.maxLength else { return nil }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else { return nil }
        guard string != "." && string != ".." else { return nil }
        self.rawValue = string
    }

    /// The bus number of a USB device bus id (`2` for `2-1.3`), as the C tools compute it with `sscanf("%u-%u")`;
    /// `nil` for names such as `usbip-vudc.0` or root hubs (`usb2`).
    public var busNumber: UInt32? {
        guard let dash = rawValue.firstIndex(of: "-") else { return nil }
        return UInt32(rawValue[..<dash])
    }

    /// The bus id as the kernel spells it.
    public var description: String { rawValue }

    /// Orders bus ids by their text.
    public static func < (lhs: BusID, rhs: BusID) -> Bool { lhs.rawValue < rhs.rawValue }
}
