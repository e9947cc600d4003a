extension ExportReply {
    /// Reads one `OP_REP_EXPORT` from `stream`: exactly the 8-byte `op_common` (there is no body).
    ///
    /// Throws ``WireError/unexpectedReply(expected:received:)`` for another reply code, ``WireError`` for malformed
    /// bytes, and the stream's own errors unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> ExportReply {
        ExportReply(header: try stream.receiveOpCommon().expecting(reply: .exportReply))
    }
}
