import USBIPWire

/// URB headers used by several tests; the HID pair is the example of mainline's `usbip_protocol.rst`.
enum URBSamples {
    /// `CMD: 00000001 00000d05 0001000f 00000001 00000001 00000200 00000040 ffffffff 00000000 00000004 0… 0…`
    static let hidCommandHex =
        "00000001 00000d05 0001000f 00000001 00000001 00000200 00000040 ffffffff 00000000 00000004 00000000 00000000"
    /// `RET: 00000003 00000d05 0… 0… 0… 00000000 00000040 ffffffff 0… 0… 0… 0…` + 64 data bytes.
    static let hidResultHex =
        "00000003 00000d05 00000000 00000000 00000000 00000000 00000040 ffffffff 00000000 00000000 00000000 00000000"

    static let hidCommand = CmdSubmit(
        seqnum: 0xD05, devid: DevID(rawValue: 0x0001_000F), direction: .in, ep: 1,
        transferFlags: .dirIn, transferBufferLength: 64, startFrame: -1, numberOfPackets: 0, interval: 4
    )
    static let hidResult = RetSubmit(seqnum: 0xD05, status: 0, actualLength: 64, startFrame: -1)

    /// GET_DESCRIPTOR(device) on ep 0: setup bytes stay in USB (little-endian) order.
    static let controlCommand = CmdSubmit(
        seqnum: 1, devid: DevID(busnum: 2, devnum: 3), direction: .in, ep: 0,
        transferFlags: [.dirIn, .shortNotOK], transferBufferLength: 18, numberOfPackets: -1,
        setup: [0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x12, 0x00]
    )
    static let unlink = CmdUnlink(seqnum: 0xD06, devid: DevID(rawValue: 0x0001_000F), unlinkSeqnum: 0xD05)
    static let unlinkResult = RetUnlink(seqnum: 0xD06, status: -104)
}
