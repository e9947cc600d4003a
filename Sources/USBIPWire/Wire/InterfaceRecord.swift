/// One interface of an exported device: `struct usbip_usb_interface`, 4 bytes, sent after each device record in
/// `OP_REP_DEVLIST`.
///
/// Layout: `bInterfaceClass`, `bInterfaceSubClass`, `bInterfaceProtocol`, then one byte mainline calls `padding`
/// ("shall be 0") and usbip-next `bInterfaceNumber`. Mainline never initialises it, so it is ignored on input and
/// written as 0.
public struct InterfaceRecord: WireCodable, Hashable {
    /// The record's size on the wire.
    public static let byteCount = 4

    /// `bInterfaceClass`.
    public var bInterfaceClass: UInt8
    /// `bInterfaceSubClass`.
    public var bInterfaceSubClass: UInt8
    /// `bInterfaceProtocol`.
    public var bInterfaceProtocol: UInt8

    /// Builds an interface record.
    public init(bInterfaceClass: UInt8, bInterfaceSubClass: UInt8, bInterfaceProtocol: UInt8) {
        self.bInterfaceClass = bInterfaceClass
        self.bInterfaceSubClass = bInterfaceSubClass
        self.bInterfaceProtocol = bInterfaceProtocol
    }

    /// Parses 4 bytes; the padding byte may hold anything.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try r.require(Self.byteCount)
        self.bInterfaceClass = try r.readInteger()
        self.bInterfaceSubClass = try r.readInteger()
        self.bInterfaceProtocol = try r.readInteger()
        try r.skip(count: 1)
    }

    /// Writes the 4 bytes, padding 0.
    public func write(to w: inout ByteWriter) {
        w.writeInteger(bInterfaceClass)
        w.writeInteger(bInterfaceSubClass)
        w.writeInteger(bInterfaceProtocol)
        w.writeInteger(UInt8(0))
    }
}
