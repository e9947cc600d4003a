/// The state of an exported device, as usbip-host's `usbip_status` attribute prints it (`SDEV_ST_*`,
/// `include/uapi/linux/usbip.h`).
public enum ExportStatus: UInt32, Sendable, CaseIterable {
    /// `SDEV_ST_AVAILABLE` (1): bound to usbip-host and free to import.
    case available = 1
    /// `SDEV_ST_USED` (2): a client has imported it.
    case used = 2
    /// `SDEV_ST_ERROR` (3): the connection failed.
    case error = 3

    /// The text of the C tools' `usbip_status_string`.
    public var displayString: String {
        switch self {
        case .available: return "Device Available"
        case .used: return "Device in Use"
        case .error: return "Device Error"
        }
    }
}

/// The state of a vhci_hcd port, as its `status` attribute prints it (`VDEV_ST_*`, `include/uapi/linux/usbip.h`).
public enum PortStatus: UInt32, Sendable, CaseIterable {
    /// `VDEV_ST_NULL` (4): the port is free.
    case free = 4
    /// `VDEV_ST_NOTASSIGNED` (5): a socket is attached, the device has no address yet.
    case notAssigned = 5
    /// `VDEV_ST_USED` (6): a remote device is in use on the port.
    case used = 6
    /// `VDEV_ST_ERROR` (7): the connection failed.
    case error = 7

    /// The text of the C tools' `usbip_status_string`.
    public var displayString: String {
        switch self {
        case .free: return "Port Available"
        case .notAssigned: return "Port Initializing"
        case .used: return "Port in Use"
        case .error: return "Port Error"
        }
    }
}
