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

    /// Reads and parses an 8-byte `op_common` (version checked).
    mutating func receiveOpCommon() throws -> OpCommon {
        try OpCommon(parsingAll: read(exactly: OpCommon.byteCount))
    }

    /// Reads `count` bytes, without calling the stream for an empty read.
    mutating func readIfAny(exactly count: Int) throws -> [UInt8] {
        count > 0 ? try read(exactly: count) : []
    }
}
