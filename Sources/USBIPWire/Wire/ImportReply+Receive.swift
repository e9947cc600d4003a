extension ImportReply {
    /// Reads one `OP_REP_IMPORT` from `stream`: the 8-byte `op_common`, then the 312-byte record when its status is 0.
    /// Nothing beyond the PDU is read: on success the following bytes are URB traffic for the kernel.
    ///
    /// Throws ``WireError/unexpectedReply(expected:received:)`` for another reply code, ``WireError`` for malformed
    /// bytes, and the stream's own errors unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> ImportReply {
        let header = try stream.receiveOpCommon().expecting(reply: .importReply)
        var reader = ByteReader(try stream.readIfAny(exactly: bodyLength(status: header.opStatus)))
        return try ImportReply(header: header, parsingBody: &reader)
    }
}
