extension UnexportReply {
    /// Reads one `OP_REP_UNEXPORT` from `stream`: exactly the 8-byte `op_common` (there is no body).
    ///
    /// Throws ``WireError/unexpectedReply(expected:received:)`` for another reply code, ``WireError`` for malformed
    /// bytes, and the stream's own errors unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> UnexportReply {
        UnexportReply(header: try stream.receiveOpCommon().expecting(reply: .unexportReply))
    }
}
