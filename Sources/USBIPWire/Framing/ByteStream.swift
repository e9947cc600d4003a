/// A blocking, ordered byte stream (a TCP socket, or an in-memory stream in tests) that management PDUs are framed on.
///
/// Receivers read exact lengths, as the C tools' `usbip_net_recv` does with `MSG_WAITALL`; they never read ahead,
/// because after a successful IMPORT or EXPORT the following bytes belong to the kernel.
public protocol ByteStream {
    /// Returns exactly `count` bytes, blocking until they arrived; throws when the stream ends or fails first.
    mutating func read(exactly count: Int) throws -> [UInt8]
    /// Writes all of `bytes`; throws when the stream fails.
    mutating func write(_ bytes: [UInt8]) throws
}

extension ByteStream {
    /// Writes a whole PDU in one `write`.
    public mutating func send(_ pdu: some WireCodable) throws {
        try write(pdu.serialized())
    }

    /// Reads one PDU with `decoder`, exactly ``PDUDecoder/bytesNeeded`` bytes at a time, so nothing beyond the PDU
    /// is read. Malformed bytes throw ``WireError``; the stream's own errors are rethrown unchanged.
    public mutating func receive<Decoder: PDUDecoder>(_ decoder: Decoder) throws -> Decoder.Value {
        var decoder = decoder
        while true {
            if case .done(let value) = try decoder.feed(read(exactly: decoder.bytesNeeded)) { return value }
        }
    }
}
