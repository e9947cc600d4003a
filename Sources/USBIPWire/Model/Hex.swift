/// Lower-case hexadecimal text, zero-padded as C's `%0Nx` prints it: op codes (`%04x`), vendor and product ids
/// (`%04x`), vhci_hcd's devids (`%08x`), descriptor bytes (`%02x`). The one hex formatter of the package.
public enum Hex {
    /// `value` in lower-case hex digits, left-padded with zeros to at least `width` digits.
    public static func digits(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
