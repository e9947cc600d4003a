/// `USBIP_CMD_SUBMIT` (1): a URB sent from vhci_hcd to the device side; 48-byte header
/// (`struct usbip_header_cmd_submit` after the basic header).
///
/// The header is followed by `transfer_buffer_length` payload bytes for OUT transfers and, for ISO pipes,
/// `number_of_packets` × ``ISOPacketDescriptor``; this type covers the header only.
public struct CmdSubmit: URBHeaderLayout, Hashable {
    /// `USBIP_CMD_SUBMIT`.
    public static let command = URBCommand.cmdSubmit

    /// `seqnum`: the URB's sequence number.
    public var seqnum: UInt32
    /// `devid`: the target device's `busnum << 16 | devnum`.
    public var devid: DevID
    /// `direction`: 0 OUT, 1 IN.
    public var direction: URBDirection
    /// `ep`: endpoint number 0…15.
    public var ep: UInt32
    /// `transfer_flags`: `USBIP_URB_*` bits.
    public var transferFlags: URBTransferFlags
    /// `transfer_buffer_length` (s32): OUT payload size, or the IN buffer size.
    public var transferBufferLength: Int32
    /// `start_frame` (s32): ISO start frame, 0 otherwise (the kernel doc's example sends -1).
    public var startFrame: Int32
    /// `number_of_packets` (s32): ISO packet count; 0 or -1 (`0xffffffff`) for other pipes, kept as received.
    public var numberOfPackets: Int32
    /// `interval` (s32): polling interval for interrupt and ISO pipes.
    public var interval: Int32
    /// `setup[8]`: the raw USB SETUP packet, exactly 8 bytes, not byte-swapped (wValue, wIndex and wLength stay
    /// little-endian); zeros when the pipe is not control. ``write(to:)`` pads or cuts it to 8 bytes.
    public var setup: [UInt8]

    /// Builds a submit header.
    public init(
        seqnum: UInt32, devid: DevID, direction: URBDirection, ep: UInt32,
        transferFlags: URBTransferFlags, transferBufferLength: Int32, startFrame: Int32 = 0,
        numberOfPackets: Int32 = 0, interval: Int32 = 0, setup: [UInt8] = Array(repeating: 0, count: 8)
    ) {
        self.seqnum = seqnum
        self.devid = devid
        self.direction = direction
        self.ep = ep
        self.transferFlags = transferFlags
        self.transferBufferLength = transferBufferLength
        self.startFrame = startFrame
        self.numberOfPackets = numberOfPackets
        self.interval = interval
        self.setup = setup
    }

    /// Parses the 28 bytes after an already-read basic header.
    public init(basic: URBHeaderBasic, parsingRest r: inout ByteReader) throws(WireError) {
        self.seqnum = basic.seqnum
        self.devid = basic.devid
        self.direction = basic.direction
        self.ep = basic.ep
        self.transferFlags = URBTransferFlags(rawValue: try r.readInteger())
        self.transferBufferLength = try r.readInteger()
        self.startFrame = try r.readInteger()
        self.numberOfPackets = try r.readInteger()
        self.interval = try r.readInteger()
        self.setup = try r.readBytes(count: 8)
    }

    /// Writes the 28 bytes after the basic header.
    public func writeRest(to w: inout ByteWriter) {
        w.writeInteger(transferFlags.rawValue)
        w.writeInteger(transferBufferLength)
        w.writeInteger(startFrame)
        w.writeInteger(numberOfPackets)
        w.writeInteger(interval)
        w.writeBytes(setup.prefix(8))
        w.writeZeros(count: 8 - min(8, setup.count))
    }
}
