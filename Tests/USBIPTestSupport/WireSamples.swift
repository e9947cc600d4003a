package import USBIPWire

/// Ready-made wire values for tests.
package enum WireSamples {
    /// A record shaped like the Debian capture's device, with `interfaces` interfaces announced.
    package static func record(
        busid: String = "2-1", path: String = "/sys/devices/pci0000:00/0000:00:05.0/usb2/2-1",
        busnum: UInt32 = 2, devnum: UInt32 = 2, speed: USBSpeed = .super, interfaces: UInt8 = 0
    ) -> DeviceRecord {
        guard let busid = BusID(busid) else { preconditionFailure("invalid sample bus id \(busid)") }
        return DeviceRecord(
            path: path, busid: busid, busnum: busnum, devnum: devnum, speed: speed.rawValue,
            idVendor: 0x46F4, idProduct: 0x0001, bcdDevice: 0x0100,
            bDeviceClass: 0, bDeviceSubClass: 0, bDeviceProtocol: 0,
            bConfigurationValue: 1, bNumConfigurations: 1, bNumInterfaces: interfaces
        )
    }

    /// A device with `count` interfaces (class 8 mass storage, subclass 6, protocol 0x50 + index).
    package static func device(busid: String = "2-1", interfaceCount: UInt8 = 2) -> ExportedDevice {
        ExportedDevice(
            record: record(busid: busid, interfaces: interfaceCount),
            interfaces: (0..<interfaceCount).map {
                InterfaceRecord(bInterfaceClass: 8, bInterfaceSubClass: 6, bInterfaceProtocol: 0x50 &+ $0)
            }
        )
    }
}
