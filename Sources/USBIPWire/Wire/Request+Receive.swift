extension Request {
    /// Reads one request from `stream` as a server does: the 8-byte `op_common`, then exactly the body its code
    /// calls for (``bodyLength(forRequest:)-(UInt16)``).
    ///
    /// The header is checked before any body byte is read: a wrong version throws
    /// ``WireError/unsupportedVersion(_:)``, an unserved code ``WireError/unknownOpCode(_:)`` and a non-zero status
    /// ``WireError/invalidValue(field:value:)``; upstream servers then close without replying. Stream errors are
    /// rethrown unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> Request {
        let header = try stream.receiveOpCommon()
        guard let length = bodyLength(forRequest: header.code) else {
            throw WireError.unknownOpCode(UInt32(header.code))
        }
        try header.requireZeroStatus()
        return try Request(header: header, body: stream.readIfAny(exactly: length))
    }
}
