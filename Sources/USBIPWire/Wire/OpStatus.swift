/// The `op_common.status` of a reply: 0 for success, otherwise a failure whose meaning depends on the operation.
///
/// The two C trees number failures differently (protocol §1.3): mainline's `ST_*` values in
/// `libsrc/usbip_common.h` are used for DEVLIST and IMPORT, usbip-next's `src/usbip_network.h` values for EXPORT
/// and UNEXPORT. Values 2 and 3 therefore have two names here. Unknown values are kept as they are.
public struct OpStatus: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The management operation a status answers; selects which tree's texts apply.
    public enum Operation: Sendable, CaseIterable {
        /// `OP_REQ_DEVLIST` / `OP_REP_DEVLIST` (mainline texts).
        case devList
        /// `OP_REQ_IMPORT` / `OP_REP_IMPORT` (mainline texts).
        case importDevice
        /// `OP_REQ_EXPORT` / `OP_REP_EXPORT` (usbip-next texts).
        case export
        /// `OP_REQ_UNEXPORT` / `OP_REP_UNEXPORT` (usbip-next texts).
        case unexport
    }

    /// The 32-bit value as sent on the wire.
    public let rawValue: UInt32

    /// Wraps a raw status value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Wraps a literal status value.
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    // MARK: - Mainline (`libsrc/usbip_common.h`), DEVLIST and IMPORT

    /// `ST_OK` (0): "Request Completed Successfully".
    public static let ok: OpStatus = 0
    /// `ST_NA` (1): "Request Failed" (mainline); "not available" (usbip-next, its generic EXPORT/UNEXPORT failure).
    public static let na: OpStatus = 1
    /// `ST_DEV_BUSY` (2): "Device busy (exported)"; mainline IMPORT of a device already in use.
    public static let deviceBusy: OpStatus = 2
    /// `ST_DEV_ERR` (3): "Device in error state"; mainline IMPORT of a device whose `usbip_status` is error.
    public static let deviceError: OpStatus = 3
    /// `ST_NODEV` (4): "Device not found"; mainline IMPORT of a bus id that is not exported.
    public static let noDevice: OpStatus = 4
    /// `ST_ERROR` (5): "Unexpected response"; never sent, the mainline client sets it when the reply code mismatches.
    public static let error: OpStatus = 5

    // MARK: - usbip-next (`src/usbip_network.h`), EXPORT and UNEXPORT

    /// usbip-next `ST_NO_FREE_PORT` (2): "no free port"; `usbipa` found no free vhci_hcd port for an EXPORT.
    public static let exportNoFreePort: OpStatus = 2
    /// usbip-next `ST_DEVICE_NOT_FOUND` (3): "device not found"; `usbipa` has no record matching an UNEXPORT.
    public static let exportDeviceNotFound: OpStatus = 3

    /// Whether this is `ST_OK`.
    public var isSuccess: Bool { rawValue == 0 }

    /// The text the C tools print for this status in a reply to `operation`.
    ///
    /// DEVLIST and IMPORT use mainline's `usbip_op_common_status_string` ("Unknown Op Common Status" for values it
    /// does not know); EXPORT and UNEXPORT use usbip-next's `op_common_strerror`, which knows 1, 2 and 3 only and
    /// answers "unknown error" for anything else, 0 included.
    public func text(for operation: Operation) -> String {
        switch operation {
        case .devList, .importDevice:
            switch rawValue {
            case 0: return "Request Completed Successfully"
            case 1: return "Request Failed"
            case 2: return "Device busy (exported)"
            case 3: return "Device in error state"
            case 4: return "Device not found"
            case 5: return "Unexpected response"
            default: return "Unknown Op Common Status"
            }
        case .export, .unexport:
            switch rawValue {
            case 1: return "not available"
            case 2: return "no free port"
            case 3: return "device not found"
            default: return "unknown error"
            }
        }
    }

    /// The decimal value, as logs print it.
    public var description: String { String(rawValue) }
}
