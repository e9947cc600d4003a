/// `USBIP_RET_SUBMIT` (3): a completed URB sent from the device side to vhci_hcd; 48-byte header
/// (`struct usbip_header_ret_submit` after the basic header, then 8 unused bytes, ignored on input and written 0).
///
/// The header is followed by `actual_length` payload bytes for IN transfers and, for ISO pipes,
/// `number_of_packets` × ``ISOPacketDescriptor``; this type covers the header only.
public struct RetSubmit: URBHeaderLayout, Hashable {
    /// `USBIP_RET_SUBMIT`.
    public static let command = URBCommand.retSubmit

    /// `seqnum`: the sequence number of the `CMD_SUBMIT` this answers.
    public var seqnum: UInt32
    /// `devid`: 0 from the stub, kept as received.
    public var devid: DevID
    /// `direction`: 0 from the stub, kept as received.
    public var direction: URBDirection
    /// `ep`: 0 from the stub, kept as received.
    public var ep: UInt32
    /// `status` (s32): 0 or a negative **Linux** errno (-32 `EPIPE` stall, -104 `ECONNRESET`, -2 `ENOENT`, …).
    public var status: Int32
    /// `actual_length` (s32): bytes transferred.
    public var actualLength: Int32
    /// `start_frame` (s32): ISO start frame.
    public var startFrame: Int32
    /// `number_of_packets` (s32): ISO packet count.
    public var numberOfPackets: Int32
    /// `error_count` (s32): ISO packets that failed.
    public var errorCount: Int32

    /// Builds a submit result header.
    public init(
        seqnum: UInt32, devid: DevID = DevID(rawValue: 0), direction: URBDirection = .out, ep: UInt32 = 0,
        status: Int32, actualLength: Int32, startFrame: Int32 = 0, numberOfPackets: Int32 = 0, errorCount: Int32 = 0
    ) {
        self.seqnum = seqnum
        self.devid = devid
        self.direction = direction
        self.ep = ep
        self.status = status
        self.actualLength = actualLength
        self.startFrame = startFrame
        self.numberOfPackets = numberOfPackets
        self.errorCount = errorCount
    }

    /// Parses the 28 bytes after an already-read basic header.
    public init(basic: URBHeaderBasic, parsingRest r: inout ByteReader) throws(WireError) {
        self.seqnum = basic.seqnum
        self.devid = basic.devid
        self.direction = basic.direction
        self.ep = basic.ep
        self.status = try r.readInteger()
        self.actualLength = try r.readInteger()
        self.startFrame = try r.readInteger()
        self.numberOfPackets = try r.readInteger()
        self.errorCount = try r.readInteger()
        try r.skip(count: 8)
    }

    /// Writes the 28 bytes after the basic header.
    public func writeRest(to w: inout ByteWriter) {
        w.writeInteger(status)
        w.writeInteger(actualLength)
        w.writeInteger(startFrame)
        w.writeInteger(numberOfPackets)
        w.writeInteger(errorCount)
        w.writeZeros(count: 8)
    }
}
