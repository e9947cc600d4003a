/// Parsers for the number formats the kernel prints in sysfs attributes (`drivers/usb/core/sysfs.c`, usbip-host's
/// and usbip-vudc's `usbip_status`, vhci_hcd's `nports` and `status` fields): the one place sysfs numbers are parsed.
///
/// Each takes the attribute text with surrounding whitespace already removed or not (they trim ASCII whitespace
/// themselves) and returns `nil` for anything the kernel would not print; none of them traps.
package enum SysfsAttributeFormat {
    /// `%04x` (`idVendor`, `idProduct`, `bcdDevice`): 1 to 4 hex digits.
    package static func hex16(_ text: String) -> UInt16? {
        hex(text, maxDigits: 4).map { UInt16(truncatingIfNeeded: $0) }
    }

    /// `%02x` / `%02X` (`bDeviceClass`, `bInterfaceNumber`, …): 1 or 2 hex digits.
    package static func hex8(_ text: String) -> UInt8? {
        hex(text, maxDigits: 2).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// `%08x` (vhci_hcd's `status` devid) and other 32-bit hex fields: 1 to 8 hex digits.
    package static func hex32(_ text: String) -> UInt32? {
        hex(text, maxDigits: 8)
    }

    /// `%d` / `%u` (`busnum`, `devnum`, `bNumConfigurations`, `usbip_status`, `nports`): decimal digits that fit
    /// in `T`, no sign, nothing after them.
    package static func decimal<T: FixedWidthInteger & UnsignedInteger>(_ text: String, as type: T.Type = T.self) -> T? {
        let bytes = trimmed(text)
        guard !bytes.isEmpty else { return nil }
        var value: T = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(T(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// A decimal that the kernel prints as an empty string when the device is unconfigured
    /// (`bConfigurationValue` `%u`, `bNumInterfaces` `%2d`): empty gives 0.
    package static func decimalOrEmpty(_ text: String) -> UInt8? {
        trimmed(text).isEmpty ? 0 : decimal(text, as: UInt8.self)
    }

    // MARK: - Helpers

    private static func hex(_ text: String, maxDigits: Int) -> UInt32? {
        let bytes = trimmed(text)
        guard !bytes.isEmpty, bytes.count <= maxDigits else { return nil }
        var value: UInt32 = 0
        for byte in bytes {
            guard let digit = hexDigitValue(byte) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The value of an ASCII hex digit, either case.
    package static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func trimmed(_ text: String) -> [UInt8] {
        Array(text.trimmingASCIIWhitespace().utf8)
    }
}
