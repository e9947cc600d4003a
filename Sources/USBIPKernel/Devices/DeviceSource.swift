package import USBIPWire
package import USBIPSupport
/// Where the local USB devices come from: sysfs directly (``SysfsDeviceSource``, what the tests use) or libudev
/// (``UdevDeviceSource``, as the C tools enumerate).
package protocol DeviceSource {
    /// All USB *devices* (not interfaces: nothing with a `bInterfaceNumber` attribute), root hubs (`usbN`) included,
    /// in udev's enumeration order (sorted by devpath). Callers filter, e.g. with ``localListable()``.
    func devices() throws(USBIPError) -> [USBDevice]

    /// The device named `busid`, or `nil` when there is none (or it names an interface).
    func device(_ busid: BusID) throws(USBIPError) -> USBDevice?
}
