import SystemPackage
package import USBIPWire
package import USBIPSupport

/// Enumerates USB devices by walking sysfs `bus/usb/devices` under an injectable root (tests use captured trees).
///
/// Produces the same values, in the same order, as ``UdevDeviceSource``: both parse through
/// ``USBDevice/init(busid:syspath:devpath:driver:childNames:attribute:interfaceAttribute:)`` and this source sorts
/// by devpath as libudev's enumerator does.
package struct SysfsDeviceSource: DeviceSource, Sendable {
    /// The sysfs tree read.
    package let sysfs: Sysfs

    /// The directory listing every USB device and interface (symlinks into `devices/`).
    static let devicesDirectory = "bus/usb/devices"

    /// A source reading `sysfs` (default `/sys`).
    package init(sysfs: Sysfs = Sysfs()) {
        self.sysfs = sysfs
    }

    /// All USB devices sorted by devpath (byte order), root hubs included, interfaces excluded. A machine without
    /// a USB bus (`bus/usb/devices` missing) has none. A device that disappears while it is read is skipped.
    package func devices() throws(USBIPError) -> [USBDevice] {
        try devices(listedIn: Self.devicesDirectory)
    }

    /// The devices bound to `driver`, from the driver's own directory (`bus/usb/drivers/usbip-host/<busid>`
    /// links), sorted as ``devices()`` sorts. Reads only those devices, not every device of the machine: usbipd
    /// answers every DEVLIST with this. Equal to `devices().filter { $0.driver == driver.rawValue }`.
    package func devices(boundTo driver: KernelDriver) throws(USBIPError) -> [USBDevice] {
        try devices(listedIn: "bus/usb/drivers/" + driver.rawValue).filter { $0.driver == driver.rawValue }
    }

    /// The USB devices linked from `directory`, sorted by devpath. Only links into `devices/` count: a driver's
    /// directory also holds files (`bind`, `match_busid`) and the `module` link.
    private func devices(listedIn directory: String) throws(USBIPError) -> [USBDevice] {
        guard sysfs.isDirectory(directory) else { return [] }
        var found: [(key: [UInt8], device: USBDevice)] = []
        for name in try sysfs.entries(of: directory) {
            guard let busid = BusID(name), let relative = sysfs.resolve(directory + "/" + name),
                relative.hasPrefix("devices/")
            else {
                continue
            }
            if isInterface(relative) { continue }
            do {
                let device = try read(busid, at: relative)
                found.append((Array(device.devpath.utf8), device))
            } catch {
                if sysfs.exists(relative) { throw error }  // else: unplugged while we read it
            }
        }
        found.sort { $0.key.lexicographicallyPrecedes($1.key) }
        return found.map(\.device)
    }

    /// The device `busid` from `bus/usb/devices/<busid>`, or `nil` when there is none or it is an interface.
    package func device(_ busid: BusID) throws(USBIPError) -> USBDevice? {
        guard let relative = sysfs.resolve(Self.devicesDirectory + "/" + busid.rawValue), !isInterface(relative) else {
            return nil
        }
        return try read(busid, at: relative)
    }

    // MARK: - Reading one device

    private func isInterface(_ relative: String) -> Bool {
        sysfs.exists(relative + "/bInterfaceNumber")
    }

    private func read(_ busid: BusID, at relative: String) throws(USBIPError) -> USBDevice {
        let sysfs = self.sysfs
        return try USBDevice(
            busid: busid,
            syspath: sysfs.kernelPath(relative),
            devpath: "/" + relative,
            driver: sysfs.linkTargetName(relative + "/driver"),
            childNames: try sysfs.entries(of: relative),
            attribute: { (name: String) throws(USBIPError) -> String? in
                try sysfs.readAttributeUnlessMissing(relative + "/" + name)
            },
            interfaceAttribute: { (node: String, name: String) throws(USBIPError) -> String? in
                try sysfs.readAttributeUnlessMissing(relative + "/" + node + "/" + name)
            }
        )
    }
}
