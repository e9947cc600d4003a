/// Constants shared by every USB/IP peer (`tools/usb/usbip`, `Documentation/usb/usbip_protocol.rst`).
public enum USBIPProtocol {
    /// The `op_common.version` every management PDU carries: `USBIP_VERSION` 0x0111 (BCD "1.1.1").
    ///
    /// Old documents show 0x0100; both the mainline and usbip-next tools have always compared against 0x0111.
    public static let version: UInt16 = 0x0111
    /// The TCP port `usbipd` and `usbipa` listen on by default (`USBIP_PORT` 3240).
    public static let defaultTCPPort: UInt16 = 3240
}
