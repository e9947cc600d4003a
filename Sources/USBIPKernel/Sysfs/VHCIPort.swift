package import USBIPWire
/// The root hub of a vhci_hcd controller that a port belongs to (`status` column `hub`).
package enum VHCIHub: String, Sendable, CaseIterable {
    /// `hs`: the USB 2 root hub (low, full, high and wireless speed devices).
    case high = "hs"
    /// `ss`: the USB 3 root hub (SuperSpeed and SuperSpeedPlus devices).
    case `super` = "ss"
}

/// One line of vhci_hcd's `status` / `status.N` attributes: the state of one virtual port.
///
/// Kernel format (≥ 4.13, `drivers/usb/usbip/vhci_sysfs.c:port_show_vhci`):
/// `hub port sta spd dev      sockfd local_busid`, e.g. `ss  0015 006 005 00020002 000003 4-1`.
/// Pre-4.13 kernels print no `hub` column and a kernel socket pointer instead of the fd.
package struct VHCIPort: Sendable, Hashable {
    /// The root hub the port sits on; `nil` in the legacy layout, which has no `hub` column.
    package var hub: VHCIHub?
    /// The global port number (column `port`, `%04u`), the number `attach`, `detach` and record files use.
    package var port: Int
    /// The raw `VDEV_ST_*` value (column `sta`, `%03u`).
    package var status: UInt32
    /// The speed of the imported device (column `spd`); `.unknown` when the port holds none.
    package var speed: USBSpeed
    /// The remote device's `busnum << 16 | devnum` (column `dev`, `%08x`).
    package var devid: DevID
    /// The `sockfd` / `socket` column as printed: the fd number in the process that attached (meaningless to
    /// others) or, on old kernels, a kernel pointer. Kept opaque.
    package var socketToken: String
    /// The name of the USB device created on the vhci bus (column `local_busid`); `nil` for `0-0`.
    package var localBusID: BusID?

    /// A port value with every column given.
    package init(
        hub: VHCIHub?, port: Int, status: UInt32, speed: USBSpeed, devid: DevID, socketToken: String,
        localBusID: BusID?
    ) {
        self.hub = hub
        self.port = port
        self.status = status
        self.speed = speed
        self.devid = devid
        self.socketToken = socketToken
        self.localBusID = localBusID
    }

    /// The status as a known `VDEV_ST_*` value, or `nil` for a value this code does not know.
    package var portStatus: PortStatus? { PortStatus(rawValue: status) }

    /// Whether the port is free to attach to: status `VDEV_ST_NULL` (4). Any other status makes the kernel
    /// refuse `attach` with `EBUSY`, and accept `detach`.
    package var isFree: Bool { status == PortStatus.free.rawValue }

    /// Whether the port holds an imported device, as `usbip port` decides what to list: any status other than
    /// `VDEV_ST_NULL` (4, free) and `VDEV_ST_NOTASSIGNED` (5, attach in progress or controller not ready) —
    /// that is `VDEV_ST_USED` (6), `VDEV_ST_ERROR` (7) and unknown values.
    ///
    /// Note that a port that is not ``isFree`` but not `isInUse` either (status 5) still refuses `attach`.
    package var isInUse: Bool {
        status != PortStatus.free.rawValue && status != PortStatus.notAssigned.rawValue
    }
}
