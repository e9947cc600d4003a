/// The speed of a USB device: the kernel's `enum usb_device_speed` (`include/uapi/linux/usb/ch9.h`),
/// sent as a u32 in the device record and written as the last number to vhci_hcd's `attach`.
public enum USBSpeed: UInt32, Sendable, CaseIterable, Comparable {
    /// `USB_SPEED_UNKNOWN` (0).
    case unknown = 0
    /// `USB_SPEED_LOW` (1), 1.5 Mbit/s.
    case low = 1
    /// `USB_SPEED_FULL` (2), 12 Mbit/s.
    case full = 2
    /// `USB_SPEED_HIGH` (3), 480 Mbit/s.
    case high = 3
    /// `USB_SPEED_WIRELESS` (4), wireless USB.
    case wireless = 4
    /// `USB_SPEED_SUPER` (5), 5 Gbit/s.
    case `super` = 5
    /// `USB_SPEED_SUPER_PLUS` (6), 10 or 20 Gbit/s.
    case superPlus = 6

    /// Parses the text of a USB device's sysfs `speed` attribute (`drivers/usb/core/sysfs.c:speed_show`):
    /// `1.5`, `12`, `480`, `53.3-480`, `5000`, `10000`, `20000`; anything else (including `unknown`) is `.unknown`.
    public init(sysfsSpeed text: String) {
        switch text {
        case "1.5": self = .low
        case "12": self = .full
        case "480": self = .high
        case "53.3-480": self = .wireless
        case "5000": self = .super
        case "10000", "20000": self = .superPlus
        default: self = .unknown
        }
    }

    /// Parses a UDC's `current_speed` (`usb_speed_string`): `low-speed`, `full-speed`, `high-speed`, `wireless`,
    /// `super-speed`, `super-speed-plus`; anything else (`UNKNOWN`) is `.unknown`.
    public init(udcCurrentSpeed text: String) {
        switch text {
        case "low-speed": self = .low
        case "full-speed": self = .full
        case "high-speed": self = .high
        case "wireless": self = .wireless
        case "super-speed": self = .super
        case "super-speed-plus": self = .superPlus
        default: self = .unknown
        }
    }

    /// The text the C tools print for this speed (`usbip_speed_string` in `libsrc/usbip_common.c`).
    public var displayString: String {
        switch self {
        case .unknown: return "Unknown Speed"
        case .low: return "Low Speed(1.5Mbps)"
        case .full: return "Full Speed(12Mbps)"
        case .high: return "High Speed(480Mbps)"
        case .wireless: return "Wireless"
        case .super: return "Super Speed(5000Mbps)"
        case .superPlus: return "Super Speed Plus(10000Mbps)"
        }
    }

    /// Whether vhci_hcd attaches a device of this speed to its USB3 (`ss`) root hub: `speed >= USB_SPEED_SUPER`.
    public var usesSuperSpeedHub: Bool { self >= .super }

    /// Orders speeds by their kernel value.
    public static func < (lhs: USBSpeed, rhs: USBSpeed) -> Bool { lhs.rawValue < rhs.rawValue }
}
