package import USBIPWire

/// Why vhci_hcd's `attach` would refuse a device record offered with `OP_REQ_EXPORT`, or attach it under a devid
/// the exporting stub never answers to: found before ``AppRequestHandler`` replies, so the device side is told
/// the export failed instead of being told it worked.
///
/// vhci_hcd takes speeds `USB_SPEED_LOW` (1) to `USB_SPEED_SUPER_PLUS` (6) (`valid_args` in
/// `drivers/usb/usbip/vhci_sysfs.c`; anything else is `EINVAL`). The stub checks every URB's devid against its own,
/// `busnum << 16 | devnum` (protocol §2.1): a bus number must fit its 16 bits and a USB address is 1 to 127;
/// only a usbip-vudc gadget has neither (bus and device number 0).
package enum UnattachableRecord: Error, Equatable, Sendable, CustomStringConvertible {
    /// The speed is not one vhci_hcd attaches (`USB_SPEED_UNKNOWN`, or beyond `USB_SPEED_SUPER_PLUS`).
    case unsupportedSpeed(BusID, UInt32)
    /// The bus number does not fit the devid's upper 16 bits.
    case busNumberOutOfRange(BusID, UInt32)
    /// The device number is not a USB address (1-127), or is one without a bus (bus number 0).
    case deviceNumberOutOfRange(BusID, busnum: UInt32, devnum: UInt32)

    /// The first reason `record` cannot be attached as sent, or `nil` when it can.
    package static func check(_ record: DeviceRecord) -> UnattachableRecord? {
        guard let speed = USBSpeed(rawValue: record.speed), speed != .unknown else {
            return .unsupportedSpeed(record.busid, record.speed)
        }
        if record.busnum == 0 && record.devnum == 0 { return nil }  // a vUDC gadget
        guard record.busnum <= 0xFFFF else { return .busNumberOutOfRange(record.busid, record.busnum) }
        guard record.busnum > 0, (1...127).contains(record.devnum) else {
            return .deviceNumberOutOfRange(record.busid, busnum: record.busnum, devnum: record.devnum)
        }
        return nil
    }

    /// One line for the log, naming the device and the field.
    package var description: String {
        switch self {
        case .unsupportedSpeed(let busid, let speed):
            return "cannot attach \(busid): speed \(speed) is not one vhci_hcd takes (1 low to 6 SuperSpeedPlus); "
                + "the exporting side sent a bad record"
        case .busNumberOutOfRange(let busid, let busnum):
            return "cannot attach \(busid): bus number \(busnum) does not fit the devid's 16 bits; "
                + "the exporting side sent a bad record"
        case .deviceNumberOutOfRange(let busid, let busnum, let devnum):
            return "cannot attach \(busid): device number \(devnum) on bus \(busnum) is not a USB address (1-127 on a "
                + "bus, or 0 on bus 0 for a gadget); the exporting side sent a bad record"
        }
    }
}
