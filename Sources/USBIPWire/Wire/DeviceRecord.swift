/// An exported USB device as the wire describes it: `struct usbip_usb_device`, 312 bytes (0x138).
///
/// Sent in `OP_REP_DEVLIST` (followed by its interfaces), `OP_REP_IMPORT`, `OP_REQ_EXPORT` and `OP_REQ_UNEXPORT`.
/// Layout (`Documentation/usb/usbip_protocol.rst`): `path[256]`, `busid[32]`, `busnum`, `devnum`, `speed` (u32),
/// `idVendor`, `idProduct`, `bcdDevice` (u16), then six u8: `bDeviceClass`, `bDeviceSubClass`, `bDeviceProtocol`,
/// `bConfigurationValue`, `bNumConfigurations`, `bNumInterfaces`.
public struct DeviceRecord: WireCodable, Hashable {
    /// The record's size on the wire.
    public static let byteCount = 312
    /// The size of the `path` field (`SYSFS_PATH_MAX`); the text itself is at most 255 bytes.
    public static let pathByteCount = 256

    /// `path`: the device's sysfs path on the exporting host, such as `/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2`.
    ///
    /// At most 255 UTF-8 bytes fit; ``write(to:)`` cuts longer text as the C tools' `strncpy` does.
    public var path: String
    /// `busid`: the device's bus id on the exporting host.
    public var busid: BusID
    /// `busnum`: the USB bus number.
    public var busnum: UInt32
    /// `devnum`: the device's address on its bus.
    public var devnum: UInt32
    /// `speed`: the raw `enum usb_device_speed` value (see ``usbSpeed``).
    public var speed: UInt32
    /// `idVendor`.
    public var idVendor: UInt16
    /// `idProduct`.
    public var idProduct: UInt16
    /// `bcdDevice`.
    public var bcdDevice: UInt16
    /// `bDeviceClass`.
    public var bDeviceClass: UInt8
    /// `bDeviceSubClass`.
    public var bDeviceSubClass: UInt8
    /// `bDeviceProtocol`.
    public var bDeviceProtocol: UInt8
    /// `bConfigurationValue`: the active configuration (0 when unconfigured).
    public var bConfigurationValue: UInt8
    /// `bNumConfigurations`.
    public var bNumConfigurations: UInt8
    /// `bNumInterfaces`: the interface count of the active configuration; the number of ``InterfaceRecord``s that
    /// follow the record in `OP_REP_DEVLIST`.
    public var bNumInterfaces: UInt8

    /// Builds a device record.
    public init(
        path: String, busid: BusID, busnum: UInt32, devnum: UInt32, speed: UInt32,
        idVendor: UInt16, idProduct: UInt16, bcdDevice: UInt16,
        bDeviceClass: UInt8, bDeviceSubClass: UInt8, bDeviceProtocol: UInt8,
        bConfigurationValue: UInt8, bNumConfigurations: UInt8, bNumInterfaces: UInt8
    ) {
        self.path = path
        self.busid = busid
        self.busnum = busnum
        self.devnum = devnum
        self.speed = speed
        self.idVendor = idVendor
        self.idProduct = idProduct
        self.bcdDevice = bcdDevice
        self.bDeviceClass = bDeviceClass
        self.bDeviceSubClass = bDeviceSubClass
        self.bDeviceProtocol = bDeviceProtocol
        self.bConfigurationValue = bConfigurationValue
        self.bNumConfigurations = bNumConfigurations
        self.bNumInterfaces = bNumInterfaces
    }

    /// Parses 312 bytes.
    ///
    /// Throws ``WireError/invalidString(field:)`` (`path`) when the path has no NUL within 256 bytes or is not UTF-8,
    /// and ``WireError/invalidBusID`` for a bad bus id field.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try r.require(Self.byteCount)
        self.path = try r.readFixedString(count: Self.pathByteCount, field: "path")
        self.busid = try BusID(parsing: &r)
        self.busnum = try r.readInteger()
        self.devnum = try r.readInteger()
        self.speed = try r.readInteger()
        self.idVendor = try r.readInteger()
        self.idProduct = try r.readInteger()
        self.bcdDevice = try r.readInteger()
        self.bDeviceClass = try r.readInteger()
        self.bDeviceSubClass = try r.readInteger()
        self.bDeviceProtocol = try r.readInteger()
        self.bConfigurationValue = try r.readInteger()
        self.bNumConfigurations = try r.readInteger()
        self.bNumInterfaces = try r.readInteger()
    }

    /// Writes the 312 bytes.
    public func write(to w: inout ByteWriter) {
        w.writeFixedString(path, count: Self.pathByteCount)
        busid.write(to: &w)
        w.writeInteger(busnum)
        w.writeInteger(devnum)
        w.writeInteger(speed)
        w.writeInteger(idVendor)
        w.writeInteger(idProduct)
        w.writeInteger(bcdDevice)
        w.writeInteger(bDeviceClass)
        w.writeInteger(bDeviceSubClass)
        w.writeInteger(bDeviceProtocol)
        w.writeInteger(bConfigurationValue)
        w.writeInteger(bNumConfigurations)
        w.writeInteger(bNumInterfaces)
    }

    /// The speed as a ``USBSpeed``; `.unknown` for values the kernel does not define.
    public var usbSpeed: USBSpeed { USBSpeed(rawValue: speed) ?? .unknown }

    /// The devid URB headers use for this device: `busnum << 16 | devnum`, 16 bits each.
    public var devid: DevID { DevID(busnum: busnum, devnum: devnum) }
}
