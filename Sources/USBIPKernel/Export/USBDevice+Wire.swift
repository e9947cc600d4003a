package import USBIPWire
extension USBDevice {
    /// The 312-byte wire record of the device (`struct usbip_usb_device`), path = sysfs path.
    package var deviceRecord: DeviceRecord {
        DeviceRecord(
            path: syspath, busid: busid, busnum: busnum, devnum: devnum, speed: speed.rawValue,
            idVendor: idVendor, idProduct: idProduct, bcdDevice: bcdDevice,
            bDeviceClass: deviceClass, bDeviceSubClass: deviceSubClass, bDeviceProtocol: deviceProtocol,
            bConfigurationValue: configurationValue, bNumConfigurations: numConfigurations,
            bNumInterfaces: numInterfaces)
    }

    /// The DEVLIST entry: the record and one interface record per interface of the active configuration.
    package var exportedDevice: ExportedDevice {
        ExportedDevice(
            record: deviceRecord,
            interfaces: interfaces.map {
                InterfaceRecord(
                    bInterfaceClass: $0.interfaceClass, bInterfaceSubClass: $0.interfaceSubClass,
                    bInterfaceProtocol: $0.interfaceProtocol)
            })
    }
}
