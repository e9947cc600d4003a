extension DevListReply {
    /// Reads one `OP_REP_DEVLIST` from `stream` with ``ReplyDecoder``; another reply code is
    /// ``WireError/unexpectedReply(expected:received:)``, the stream's own errors are rethrown unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> DevListReply {
        switch try stream.receive(ReplyDecoder(expecting: code)) {
        case .devList(let reply): return reply
        case let other: throw WireError.unexpectedReply(expected: code.rawValue, received: other.code.rawValue)
        }
    }
}

extension ImportReply {
    /// Reads one `OP_REP_IMPORT` from `stream` with ``ReplyDecoder``; on success the bytes after it are URB
    /// traffic for the kernel and stay unread.
    public static func receive(from stream: inout some ByteStream) throws -> ImportReply {
        switch try stream.receive(ReplyDecoder(expecting: code)) {
        case .importDevice(let reply): return reply
        case let other: throw WireError.unexpectedReply(expected: code.rawValue, received: other.code.rawValue)
        }
    }
}

extension StatusOnlyReply {
    /// Reads one 8-byte reply of this kind from `stream` with ``ReplyDecoder``.
    public static func receive(from stream: inout some ByteStream) throws -> Self {
        Self(status: try stream.receive(ReplyDecoder(expecting: code)).status)
    }
}
