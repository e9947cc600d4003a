/// One interface of a USB device's active configuration, as sysfs shows it in the interface node
/// `<busid>:<bConfigurationValue>.<bInterfaceNumber>` (e.g. `2-1:1.0`).
///
/// The kernel prints all four fields as `%02X` (`drivers/usb/core/sysfs.c`, `usb_intf_attr`). On the wire the
/// device-side record carries class, subclass and protocol plus one byte mainline calls padding
/// (`struct usbip_usb_interface`, 4 bytes).
public struct USBInterface: Hashable, Sendable {
    /// sysfs `bInterfaceNumber`.
    public var number: UInt8
    /// sysfs `bInterfaceClass`.
    public var interfaceClass: UInt8
    /// sysfs `bInterfaceSubClass`.
    public var interfaceSubClass: UInt8
    /// sysfs `bInterfaceProtocol`.
    public var interfaceProtocol: UInt8

    /// An interface with these descriptor fields.
    public init(number: UInt8, interfaceClass: UInt8, interfaceSubClass: UInt8, interfaceProtocol: UInt8) {
        self.number = number
        self.interfaceClass = interfaceClass
        self.interfaceSubClass = interfaceSubClass
        self.interfaceProtocol = interfaceProtocol
    }
}
