/// One entry of `OP_REP_DEVLIST`: a device record followed by `bNumInterfaces` interface records.
public struct ExportedDevice: WireCodable, Hashable {
    /// The device record.
    public var record: DeviceRecord
    /// The interfaces of the active configuration, in order.
    public var interfaces: [InterfaceRecord]

    /// Pairs a record with its interfaces; `interfaces.count` should equal `record.bNumInterfaces`.
    public init(record: DeviceRecord, interfaces: [InterfaceRecord]) {
        self.record = record
        self.interfaces = interfaces
    }

    /// Parses a device record, then exactly `bNumInterfaces` interface records.
    public init(parsing r: inout ByteReader) throws(WireError) {
        try self.init(record: DeviceRecord(parsing: &r), parsingInterfaces: &r)
    }

    /// Parses the `record.bNumInterfaces` interface records that follow `record` (``ReplyDecoder`` reads them as
    /// one step once it knows the record).
    public init(record: DeviceRecord, parsingInterfaces r: inout ByteReader) throws(WireError) {
        let count = Int(record.bNumInterfaces)
        // bNumInterfaces is at most 255, but still check the input holds them before allocating.
        try r.require(count * InterfaceRecord.byteCount)
        var interfaces: [InterfaceRecord] = []
        interfaces.reserveCapacity(count)
        for _ in 0..<count {
            interfaces.append(try InterfaceRecord(parsing: &r))
        }
        self.record = record
        self.interfaces = interfaces
    }

    /// The bytes of the interface records that follow `record` on the wire.
    public static func interfacesByteCount(of record: DeviceRecord) -> Int {
        Int(record.bNumInterfaces) * InterfaceRecord.byteCount
    }

    /// Writes the record, then exactly `record.bNumInterfaces` interface records.
    ///
    /// The receiver frames the entry by `bNumInterfaces`, so that count always wins: missing interfaces are written
    /// as zero records and extra ones are dropped, which keeps the stream in step even if the two disagree.
    public func write(to w: inout ByteWriter) {
        record.write(to: &w)
        let count = Int(record.bNumInterfaces)
        for interface in interfaces.prefix(count) {
            interface.write(to: &w)
        }
        w.writeZeros(count: (count - min(count, interfaces.count)) * InterfaceRecord.byteCount)
    }
}
