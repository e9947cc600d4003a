/// A reply a client waits for by its code (`OP_REP_DEVLIST`, `OP_REP_IMPORT`, `OP_REP_EXPORT`,
/// `OP_REP_UNEXPORT`): parsed and received through ``ReplyDecoder``, the one place reply framing is spelled.
public protocol ManagementReply: WireCodable {
    /// The reply's `op_common.code`.
    static var code: OpCode { get }
    /// The reply carried by `reply`, or `nil` when `reply` is of another kind.
    init?(_ reply: Reply)
}

extension ManagementReply {
    /// Parses a whole reply with ``ReplyDecoder``; another code is ``WireError/unexpectedReply(expected:received:)``.
    public init(parsing r: inout ByteReader) throws(WireError) {
        var decoder = ReplyDecoder(expecting: Self.code)
        self = try Self.unwrap(decoder.decode(from: &r))
    }

    /// Reads one reply of this kind from `stream` with ``ReplyDecoder`` (exactly its bytes: after a successful
    /// import the following bytes are URB traffic for the kernel); the stream's own errors are rethrown unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> Self {
        try unwrap(stream.receive(ReplyDecoder(expecting: code)))
    }

    /// The reply of this kind, which a decoder expecting ``code`` produces.
    private static func unwrap(_ reply: Reply) throws(WireError) -> Self {
        guard let value = Self(reply) else {
            throw .unexpectedReply(expected: code.rawValue, received: reply.code.rawValue)
        }
        return value
    }
}

extension DevListReply: ManagementReply {
    /// The `OP_REP_DEVLIST` in `reply`, if it is one.
    public init?(_ reply: Reply) {
        guard case .devList(let value) = reply else { return nil }
        self = value
    }
}

extension ImportReply: ManagementReply {
    /// The `OP_REP_IMPORT` in `reply`, if it is one.
    public init?(_ reply: Reply) {
        guard case .importDevice(let value) = reply else { return nil }
        self = value
    }
}
