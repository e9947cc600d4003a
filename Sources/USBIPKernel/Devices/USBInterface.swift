/// One interface of a USB device's active configuration, as sysfs shows it in the interface node
/// `<busid>:<bConfigurationValue>.<bInterfaceNumber>` (e.g. `2-1:1.0`).
///
/// The kernel prints all four fields as `%02X` (`drivers/usb/core/sysfs.c`, `usb_intf_attr`). On the wire the
/// device-side record carries class, subclass and protocol plus one byte mainline calls padding
/// (`struct usbip_usb_interface`, 4 bytes).
package struct USBInterface: Hashable, Sendable {
    /// sysfs `bInterfaceNumber`.
    package var number: UInt8
    /// sysfs `bInterfaceClass`.
    package var interfaceClass: UInt8
    /// sysfs `bInterfaceSubClass`.
    package var interfaceSubClass: UInt8
    /// sysfs `bInterfaceProtocol`.
    package var interfaceProtocol: UInt8

    /// An interface with these descriptor fields.
    package init(number: UInt8, interfaceClass: UInt8, interfaceSubClass: UInt8, interfaceProtocol: UInt8) {
        self.number = number
        self.interfaceClass = interfaceClass
        self.interfaceSubClass = interfaceSubClass
        self.interfaceProtocol = interfaceProtocol
    }
}
