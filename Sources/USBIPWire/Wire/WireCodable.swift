/// A value with a fixed USB/IP wire layout that can be parsed from and written to bytes.
public protocol WireCodable: Equatable, Sendable {
    /// Parses one value at the reader's position, consuming exactly its bytes.
    init(parsing r: inout ByteReader) throws(WireError)
    /// Appends the value's wire bytes.
    func write(to w: inout ByteWriter)
}

extension WireCodable {
    /// The value's wire bytes (for a PDU, the whole message including `op_common`).
    public func serialized() -> [UInt8] {
        var writer = ByteWriter()
        write(to: &writer)
        return writer.bytes
    }

    /// Parses a value that must span all of `bytes`; extra bytes are an ``WireError/invalidValue(field:value:)``
    /// naming `trailing bytes`.
    public init(parsingAll bytes: [UInt8]) throws(WireError) {
        var reader = ByteReader(bytes)
        try self.init(parsing: &reader)
        guard reader.remaining == 0 else {
            throw .invalidValue(field: "trailing bytes", value: UInt64(reader.remaining))
        }
    }
}
