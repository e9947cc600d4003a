package import USBIPWire
/// A local USB device (or a usbip-vudc gadget) as read from sysfs: everything the device record on the wire
/// (`struct usbip_usb_device`, 312 bytes) and `usbip list -l` need.
///
/// Built from attribute text by ``init(busid:syspath:devpath:driver:childNames:attribute:interfaceAttribute:)``,
/// which both ``SysfsDeviceSource`` and ``UdevDeviceSource`` use. Deliberate differences from the C reader
/// (`libsrc/usbip_common.c:read_usb_device`):
/// - `bConfigurationValue`, `bNumConfigurations` and `bNumInterfaces` are parsed as the **decimal** numbers the
///   kernel prints (`%u`, `%d`, `%2d`); the C tools parse them as hex, so `10` became 16. That misread is not copied.
/// - `busnum` is read from sysfs `busnum` (C derives it from the bus id) and `devnum` keeps its full width
///   (C reads it into a `uint8_t`).
/// - ``interfaces`` lists the interface nodes that exist, whatever their numbers; C assumes `0..<bNumInterfaces`
///   and leaves entries uninitialised when a node is missing.
package struct USBDevice: Hashable, Sendable {
    /// The kernel's name of the device (`1-2`, `3-3.2`, root hubs `usb1`, gadgets `usbip-vudc.0`).
    package var busid: BusID
    /// The device's kernel path as `/sys/devices/...`: what the wire record's 256-byte `path` carries.
    package var syspath: String
    /// The device path without the sysfs mount point (`/devices/...`), as udev's `DEVPATH`.
    package var devpath: String
    /// sysfs `busnum` (`%d`); the bus id's first number when the attribute is missing; 0 for gadgets.
    package var busnum: UInt32
    /// sysfs `devnum` (`%d`), full width; 0 for gadgets.
    package var devnum: UInt32
    /// sysfs `speed` (or a UDC's `current_speed` for gadgets).
    package var speed: USBSpeed
    /// sysfs `idVendor` (`%04x`).
    package var idVendor: UInt16
    /// sysfs `idProduct` (`%04x`).
    package var idProduct: UInt16
    /// sysfs `bcdDevice` (`%04x`).
    package var bcdDevice: UInt16
    /// sysfs `bDeviceClass` (`%02x`).
    package var deviceClass: UInt8
    /// sysfs `bDeviceSubClass` (`%02x`).
    package var deviceSubClass: UInt8
    /// sysfs `bDeviceProtocol` (`%02x`).
    package var deviceProtocol: UInt8
    /// sysfs `bConfigurationValue`, decimal (`%u`); 0 when the device is unconfigured (the attribute reads empty).
    package var configurationValue: UInt8
    /// sysfs `bNumConfigurations`, decimal (`%d`).
    package var numConfigurations: UInt8
    /// sysfs `bNumInterfaces`, decimal (`%2d`, leading space); 0 when unconfigured. It can differ from
    /// `interfaces.count` when interface nodes are missing.
    package var numInterfaces: UInt8
    /// The interfaces of the active configuration whose nodes exist, sorted by `bInterfaceNumber`.
    package var interfaces: [USBInterface]
    /// The name of the driver bound to the device itself (`usb`, `usbip-host`), or `nil` when none is.
    package var driver: String?

    /// A device with these values.
    package init(
        busid: BusID,
        syspath: String,
        devpath: String,
        busnum: UInt32,
        devnum: UInt32,
        speed: USBSpeed,
        idVendor: UInt16,
        idProduct: UInt16,
        bcdDevice: UInt16,
        deviceClass: UInt8,
        deviceSubClass: UInt8,
        deviceProtocol: UInt8,
        configurationValue: UInt8,
        numConfigurations: UInt8,
        numInterfaces: UInt8,
        interfaces: [USBInterface],
        driver: String?
    ) {
        self.busid = busid
        self.syspath = syspath
        self.devpath = devpath
        self.busnum = busnum
        self.devnum = devnum
        self.speed = speed
        self.idVendor = idVendor
        self.idProduct = idProduct
        self.bcdDevice = bcdDevice
        self.deviceClass = deviceClass
        self.deviceSubClass = deviceSubClass
        self.deviceProtocol = deviceProtocol
        self.configurationValue = configurationValue
        self.numConfigurations = numConfigurations
        self.numInterfaces = numInterfaces
        self.interfaces = interfaces
        self.driver = driver
    }

    /// `USB_CLASS_HUB` (0x09): usbip-host refuses hubs and `usbip list -l` hides them.
    package static let hubClass: UInt8 = 0x09

    /// Whether the device is a hub (`bDeviceClass` 0x09).
    package var isHub: Bool { deviceClass == USBDevice.hubClass }

    /// Whether the device is itself imported through this machine's vhci_hcd (its devpath contains `vhci_hcd`):
    /// mainline `usbip list -l` hides such devices and binding them would loop.
    package var isAttachedThroughVHCI: Bool { Self.isBelowVHCI(devpath) }

    /// Whether a sysfs device path runs through a vhci_hcd controller: one of its components starts with
    /// `vhci_hcd` (`/devices/platform/vhci_hcd.0/usb3/3-1`; mainline tests `strstr(path, "vhci_hcd")`).
    /// Component by component rather than a substring search, which would link _StringProcessing (and its
    /// regex engine) into every tool for this one check.
    package static func isBelowVHCI(_ path: some StringProtocol) -> Bool {
        path.split(separator: "/").contains { $0.hasPrefix("vhci_hcd") }
    }
}
