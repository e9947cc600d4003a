package import USBIPWire
package import USBIPSupport
/// What a device-side daemon exports and how it hands a connection to the kernel: usbip-host devices
/// (``HostExportBackend``) or usbip-vudc gadgets (``VUDCExportBackend``, `usbipd -e`).
package protocol ExportBackend: Sendable {
    /// The kernel driver that must be loaded (named in the start-up error).
    var driver: KernelDriver { get }
    /// Whether the driver is loaded.
    var isLoaded: Bool { get }
    /// The devices offered for export (re-read on every call), in enumeration order.
    func exportableDevices() throws(USBIPError) -> [USBDevice]
    /// The export state of `busid` (sysfs `usbip_status`).
    func status(of busid: BusID) throws(USBIPError) -> ExportStatus
    /// Gives the connected socket `fd` to the kernel for `busid` (sysfs `usbip_sockfd`).
    func handOver(socket fd: Int32, to busid: BusID) throws(USBIPError)
}

/// Exports the devices bound to usbip-host (`/sys/bus/usb/drivers/usbip-host`), as mainline usbipd does.
package struct HostExportBackend: ExportBackend {
    /// Where the devices are enumerated.
    package let source: SysfsDeviceSource
    /// The usbip-host driver.
    package let host: HostDriver

    /// The usbip-host backend over `sysfs` (default `/sys`).
    package init(sysfs: Sysfs = Sysfs()) {
        self.source = SysfsDeviceSource(sysfs: sysfs)
        self.host = HostDriver(sysfs: sysfs)
    }

    /// `.usbipHost`.
    package var driver: KernelDriver { .usbipHost }
    /// Whether `bus/usb/drivers/usbip-host` exists.
    package var isLoaded: Bool { host.isLoaded }
    /// The devices bound to usbip-host (the links in `bus/usb/drivers/usbip-host`).
    package func exportableDevices() throws(USBIPError) -> [USBDevice] { try source.devices(boundTo: .usbipHost) }
    /// usbip-host's `usbip_status` of the device.
    package func status(of busid: BusID) throws(USBIPError) -> ExportStatus { try host.status(of: busid) }
    /// Writes `"<fd>\n"` to the device's `usbip_sockfd`.
    package func handOver(socket fd: Int32, to busid: BusID) throws(USBIPError) { try host.handOver(socket: fd, to: busid) }
}

/// Exports the gadgets bound to usbip-vudc platform devices (`usbipd -e`); records carry busnum = devnum = 0, no
/// interfaces and the platform device path.
package struct VUDCExportBackend: ExportBackend {
    /// The usbip-vudc driver.
    package let vudc: VUDCDriver

    /// The usbip-vudc backend over `sysfs` (default `/sys`).
    package init(sysfs: Sysfs = Sysfs()) {
        self.vudc = VUDCDriver(sysfs: sysfs)
    }

    /// `.usbipVUDC`.
    package var driver: KernelDriver { .usbipVUDC }
    /// Whether `bus/platform/drivers/usbip-vudc` exists.
    package var isLoaded: Bool { vudc.isLoaded }
    /// The usbip-vudc devices with a gadget bound.
    package func exportableDevices() throws(USBIPError) -> [USBDevice] { try vudc.boundGadgets() }
    /// The platform device's `usbip_status`.
    package func status(of busid: BusID) throws(USBIPError) -> ExportStatus { try vudc.status(of: busid) }
    /// Writes `"<fd>\n"` to the platform device's `usbip_sockfd`.
    package func handOver(socket fd: Int32, to busid: BusID) throws(USBIPError) { try vudc.handOver(socket: fd, to: busid) }
}
