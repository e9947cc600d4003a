/// A standard USB device descriptor (USB 2.0 §9.6.1, `struct usb_device_descriptor`): 18 bytes, multi-byte fields
/// little-endian. usbip-vudc exposes the bound gadget's descriptor as the binary sysfs attribute `dev_desc`.
package struct USBDeviceDescriptor: Hashable, Sendable {
    /// The descriptor's size (`USB_DT_DEVICE_SIZE`).
    package static let byteCount = 18
    /// `bDescriptorType` of a device descriptor (`USB_DT_DEVICE`).
    package static let deviceDescriptorType: UInt8 = 0x01

    /// `bcdUSB` (offset 2).
    package var bcdUSB: UInt16
    /// `bDeviceClass` (offset 4).
    package var deviceClass: UInt8
    /// `bDeviceSubClass` (offset 5).
    package var deviceSubClass: UInt8
    /// `bDeviceProtocol` (offset 6).
    package var deviceProtocol: UInt8
    /// `bMaxPacketSize0` (offset 7).
    package var maxPacketSize0: UInt8
    /// `idVendor` (offset 8).
    package var idVendor: UInt16
    /// `idProduct` (offset 10).
    package var idProduct: UInt16
    /// `bcdDevice` (offset 12).
    package var bcdDevice: UInt16
    /// `iManufacturer` (offset 14).
    package var manufacturerIndex: UInt8
    /// `iProduct` (offset 15).
    package var productIndex: UInt8
    /// `iSerialNumber` (offset 16).
    package var serialNumberIndex: UInt8
    /// `bNumConfigurations` (offset 17).
    package var numConfigurations: UInt8

    /// Parses the first 18 bytes; `nil` when there are fewer or `bDescriptorType` is not `USB_DT_DEVICE`.
    /// `bLength` is not checked (the kernel copies the gadget's descriptor as it is).
    package init?(bytes: some Collection<UInt8>) {
        let b = Array(bytes.prefix(USBDeviceDescriptor.byteCount))
        guard b.count == USBDeviceDescriptor.byteCount, b[1] == USBDeviceDescriptor.deviceDescriptorType else {
            return nil
        }
        func le16(_ offset: Int) -> UInt16 { UInt16(b[offset]) | UInt16(b[offset + 1]) << 8 }
        bcdUSB = le16(2)
        deviceClass = b[4]
        deviceSubClass = b[5]
        deviceProtocol = b[6]
        maxPacketSize0 = b[7]
        idVendor = le16(8)
        idProduct = le16(10)
        bcdDevice = le16(12)
        manufacturerIndex = b[14]
        productIndex = b[15]
        serialNumberIndex = b[16]
        numConfigurations = b[17]
    }
}
