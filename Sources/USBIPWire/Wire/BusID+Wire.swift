extension BusID: WireCodable {
    /// The size of a wire bus id field: `char busid[SYSFS_BUS_ID_SIZE]`, 32 bytes.
    public static let wireByteCount = 32

    /// Parses a 32-byte bus id field.
    ///
    /// Throws ``WireError/invalidBusID`` unless the field holds 1…31 characters, then a NUL, then only NULs, and the
    /// characters form a valid ``BusID`` (printable ASCII without `/` or spaces).
    public init(parsing r: inout ByteReader) throws(WireError) {
        let field = try r.readBytes(count: Self.wireByteCount)
        guard let nul = field.firstIndex(of: 0), field[nul...].allSatisfy({ $0 == 0 }) else { throw .invalidBusID }
        // BusID only accepts printable ASCII, so validating the bytes as UTF-8 first loses nothing.
        guard let text = String(validating: field[..<nul], as: UTF8.self), let busid = BusID(text) else {
            throw .invalidBusID
        }
        self = busid
    }

    /// Writes the bus id NUL-padded to 32 bytes.
    public func write(to w: inout ByteWriter) {
        w.writeFixedString(rawValue, count: Self.wireByteCount)
    }
}
