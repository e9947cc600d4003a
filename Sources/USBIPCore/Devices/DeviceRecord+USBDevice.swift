extension DeviceRecord {
    /// The wire record (`struct usbip_usb_device`) describing a local device, as the device side sends it in
    /// `OP_REP_DEVLIST`, `OP_REP_IMPORT`, `OP_REQ_EXPORT` and `OP_REQ_UNEXPORT`: path = the device's
    /// `/sys/devices/...` path, busid, busnum, devnum, speed and the descriptor fields. For a usbip-vudc gadget
    /// (from ``VUDCDriver``) busnum, devnum, `bConfigurationValue` and `bNumInterfaces` are 0 and the path is
    /// the platform device's path.
    public init(device: USBDevice) {
        self.init(
            path: device.syspath, busid: device.busid, busnum: device.busnum, devnum: device.devnum,
            speed: device.speed.rawValue, idVendor: device.idVendor, idProduct: device.idProduct,
            bcdDevice: device.bcdDevice, bDeviceClass: device.deviceClass, bDeviceSubClass: device.deviceSubClass,
            bDeviceProtocol: device.deviceProtocol, bConfigurationValue: device.configurationValue,
            bNumConfigurations: device.numConfigurations, bNumInterfaces: device.numInterfaces)
    }
}
