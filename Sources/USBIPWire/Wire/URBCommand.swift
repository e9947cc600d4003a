/// The `command` of a URB header (`USBIP_CMD_*` / `USBIP_RET_*` in `drivers/usb/usbip/usbip_common.h`).
public enum URBCommand: UInt32, Sendable, CaseIterable {
    /// `USBIP_CMD_SUBMIT` (1): submit a URB (vhci → stub).
    case cmdSubmit = 1
    /// `USBIP_CMD_UNLINK` (2): cancel a submitted URB (vhci → stub).
    case cmdUnlink = 2
    /// `USBIP_RET_SUBMIT` (3): a URB completed (stub → vhci).
    case retSubmit = 3
    /// `USBIP_RET_UNLINK` (4): result of a cancel (stub → vhci).
    case retUnlink = 4
}
