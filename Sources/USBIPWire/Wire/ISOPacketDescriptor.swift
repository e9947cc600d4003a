/// One ISO packet of a `CMD_SUBMIT` / `RET_SUBMIT` (`struct usbip_iso_packet_descriptor`): 16 bytes, four
/// big-endian 32-bit fields.
public struct ISOPacketDescriptor: WireCodable, Hashable {
    /// The descriptor's size on the wire.
    public static let byteCount = 16
    /// The most descriptors one URB may carry (`USBIP_MAX_ISO_PACKETS`, 1024).
    public static let maxPackets = 1024

    /// `offset`: where the packet starts in the transfer buffer.
    public var offset: UInt32
    /// `length`: the packet's buffer length.
    public var length: UInt32
    /// `actual_length`: bytes transferred.
    public var actualLength: UInt32
    /// `status`: 0 or a negative Linux errno (sent as u32).
    public var status: Int32

    /// Builds a descriptor.
    public init(offset: UInt32, length: UInt32, actualLength: UInt32, status: Int32) {
        self.offset = offset
        self.length = length
        self.actualLength = actualLength
        self.status = status
    }

    /// Parses 16 bytes.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try r.require(Self.byteCount)
        self.offset = try r.readInteger()
        self.length = try r.readInteger()
        self.actualLength = try r.readInteger()
        self.status = try r.readInteger()
    }

    /// Writes the 16 bytes.
    public func write(to w: inout ByteWriter) {
        w.writeInteger(offset)
        w.writeInteger(length)
        w.writeInteger(actualLength)
        w.writeInteger(status)
    }

    /// Parses the `number_of_packets` descriptors that end an ISO URB.
    ///
    /// `count` comes from the header: negative values are ``WireError/invalidValue(field:value:)``, values above
    /// ``maxPackets`` ``WireError/countTooLarge(field:value:limit:)``, and the input must hold all of them before
    /// anything is allocated.
    public static func parseList(count: Int32, from r: inout ByteReader) throws(WireError) -> [ISOPacketDescriptor] {
        guard count >= 0 else {
            throw .invalidValue(field: "number_of_packets", value: UInt64(UInt32(bitPattern: count)))
        }
        guard count <= Int32(maxPackets) else {
            throw .countTooLarge(field: "number_of_packets", value: UInt64(count), limit: UInt64(maxPackets))
        }
        let count = Int(count)
        try r.require(count * byteCount)
        var list: [ISOPacketDescriptor] = []
        list.reserveCapacity(count)
        for _ in 0..<count {
            list.append(try ISOPacketDescriptor(parsing: &r))
        }
        return list
    }

    /// Writes `list` back to back.
    public static func writeList(_ list: [ISOPacketDescriptor], to w: inout ByteWriter) {
        for descriptor in list {
            descriptor.write(to: &w)
        }
    }
}
