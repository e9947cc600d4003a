package import USBIPWire
package import USBIPSupport
/// The device-side kernel driver usbip-host (the "stub"), sysfs `/sys/bus/usb/drivers/usbip-host/`: its match
/// table, driver-core bind/unbind, and the per-device `usbip_status` / `usbip_sockfd` attributes.
///
/// The methods here are the single kernel operations, writing exactly the bytes the C tools write (no newline
/// unless the format has one: `match_busid` and `rebind` compare the raw buffer). The checked sequences with
/// rollback are ``bind(_:logger:)`` and ``unbind(_:logger:)``. Every method throws
/// `.driverNotLoaded(.usbipHost)` when the driver directory is missing.
package struct HostDriver: Sendable {
    /// The driver's directory, relative to the sysfs root.
    package static let directory = "bus/usb/drivers/usbip-host"
    /// The driver name as sysfs shows it in a device's `driver` link.
    package static let driverName = "usbip-host"

    /// The sysfs tree the driver lives in.
    package let sysfs: Sysfs

    /// Performs every attribute write (value, path relative to the root); tests replace it to inject errnos the
    /// fixture cannot produce (such as `ENODEV` from `rebind`).
    package var attributeWriter: @Sendable (_ value: String, _ relative: String) throws(USBIPError) -> Void

    /// The usbip-host driver in `sysfs`.
    package init(sysfs: Sysfs) {
        self.sysfs = sysfs
        self.attributeWriter = { (value: String, relative: String) throws(USBIPError) in
            try sysfs.write(value, to: relative)
        }
    }

    /// Whether the usbip-host module is loaded (its driver directory exists).
    package var isLoaded: Bool { sysfs.isDirectory(Self.directory) }

    /// Throws `.driverNotLoaded(.usbipHost)` unless the driver directory exists.
    func requireLoaded() throws(USBIPError) {
        guard isLoaded else { throw .driverNotLoaded(.usbipHost) }
    }

    // MARK: - Paths

    /// The path of a driver attribute (`match_busid`, `bind`, …), relative to the sysfs root.
    package static func attributePath(_ name: String) -> String { directory + "/" + name }

    /// The path of a USB device's node, `bus/usb/devices/<busid>`, relative to the sysfs root.
    package static func devicePath(_ busid: BusID) -> String { "bus/usb/devices/" + busid.rawValue }

    // MARK: - Match table

    /// The bus ids in the driver's match table (sysfs `match_busid` read: each followed by a space, then `\n`).
    package func matchBusIDs() throws(USBIPError) -> [BusID] {
        try requireLoaded()
        let relative = Self.attributePath("match_busid")
        let text = try sysfs.readAttribute(relative)
        var result: [BusID] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            guard let busid = BusID(String(word)) else {
                throw .malformedAttribute(path: sysfs.kernelPath(relative), value: text)
            }
            result.append(busid)
        }
        return result
    }

    /// Adds `busid` to the match table: writes `add <busid>` to `match_busid`. Adding a present name succeeds;
    /// a full table (16 entries) fails with `ENOMEM`.
    package func addMatch(_ busid: BusID) throws(USBIPError) {
        try requireLoaded()
        try attributeWriter("add " + busid.rawValue, Self.attributePath("match_busid"))
    }

    /// Removes `busid` from the match table: writes `del <busid>` to `match_busid` (`ENODEV` if absent).
    package func removeMatch(_ busid: BusID) throws(USBIPError) {
        try requireLoaded()
        try attributeWriter("del " + busid.rawValue, Self.attributePath("match_busid"))
    }

    // MARK: - Driver core

    /// Asks the driver core to bind `busid` to usbip-host: writes the bus id to `usbip-host/bind`. The probe
    /// succeeds only for a device in the match table that is neither a hub nor on a vhci_hcd bus.
    package func bindDriver(_ busid: BusID) throws(USBIPError) {
        try requireLoaded()
        try attributeWriter(busid.rawValue, Self.attributePath("bind"))
    }

    /// Unbinds `busid` from usbip-host: writes the bus id to `usbip-host/unbind` (ends any connection).
    package func unbindDriver(_ busid: BusID) throws(USBIPError) {
        try requireLoaded()
        try attributeWriter(busid.rawValue, Self.attributePath("unbind"))
    }

    /// Hands `busid` back to its normal driver and drops it from the match table: writes the bus id to
    /// `usbip-host/rebind` (`ENODEV` when it is no longer in the table).
    package func rebind(_ busid: BusID) throws(USBIPError) {
        try requireLoaded()
        try attributeWriter(busid.rawValue, Self.attributePath("rebind"))
    }

    // MARK: - Per-device attributes

    /// The export state of a bound device (sysfs `bus/usb/devices/<busid>/usbip_status`, `"%d\n"`).
    package func status(of busid: BusID) throws(USBIPError) -> ExportStatus {
        try requireLoaded()
        let relative = Self.devicePath(busid) + "/usbip_status"
        let text = try sysfs.readAttribute(relative)
        guard let value = SysfsAttributeFormat.decimal(text, as: UInt32.self), let status = ExportStatus(rawValue: value)
        else {
            throw .malformedAttribute(path: sysfs.kernelPath(relative), value: text)
        }
        return status
    }

    /// Gives the connected TCP socket `fd` to the kernel for `busid`: writes `"%d\n"` to
    /// `bus/usb/devices/<busid>/usbip_sockfd` (needs status available; `-1` stops a connection). The kernel
    /// takes its own reference: close `fd` afterwards, never `shutdown()` it.
    package func handOver(socket fd: Int32, to busid: BusID) throws(USBIPError) {
        try requireLoaded()
        try attributeWriter("\(fd)\n", Self.devicePath(busid) + "/usbip_sockfd")
    }

    // MARK: - Device facts

    /// The name of the driver bound to the device node `busid` (its `driver` link, e.g. `usb`), or `nil`.
    package func currentDriver(of busid: BusID) -> String? {
        sysfs.linkTargetName(Self.devicePath(busid) + "/driver")
    }

    /// Whether `busid` exists under `bus/usb/devices`.
    package func deviceExists(_ busid: BusID) -> Bool {
        sysfs.isDirectory(Self.devicePath(busid))
    }

    /// The local USB devices a bus id could name: entries of `bus/usb/devices` that are neither hubs
    /// (`bDeviceClass` `09`) nor interfaces (have `bInterfaceNumber`), sorted.
    package func localDevices() -> [BusID] {
        let names = (try? sysfs.entries(of: "bus/usb/devices")) ?? []
        return names.compactMap { name -> BusID? in
            guard let busid = BusID(name) else { return nil }
            let base = Self.devicePath(busid)
            if sysfs.exists(base + "/bInterfaceNumber") { return nil }
            if sysfs.readAttributeIfPresent(base + "/bDeviceClass") == "09" { return nil }
            return busid
        }
    }
}
