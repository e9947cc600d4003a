/// Decodes one management request as a server reads it: the 8-byte `op_common`, checked before any body byte
/// is asked for, then exactly the body its code calls for (``Request/bodyLength(forRequest:)-(OpCode)``).
///
/// A wrong version is ``WireError/unsupportedVersion(_:)``, a code outside ``accepted`` (`OP_REQ_DEVINFO`,
/// `OP_REQ_CRYPKEY`, unknown codes, or requests the daemon does not serve) ``WireError/unknownOpCode(_:)``, and a
/// non-zero status ``WireError/invalidValue(field:value:)`` naming `status`; upstream servers then close the
/// connection without a reply.
public struct RequestDecoder: PDUDecoder {
    /// The request codes this decoder accepts.
    public let accepted: Set<OpCode>
    private var buffer = StepBuffer(length: OpCommon.byteCount)
    private var code: OpCode?

    /// Every request this package can parse: DEVLIST, IMPORT, EXPORT and UNEXPORT.
    public static let allRequests = Set(OpCode.allCases.filter { Request.bodyLength(forRequest: $0) != nil })

    /// A decoder accepting the requests in `accepted` (every request ``Request`` can parse by default).
    public init(accepting accepted: Set<OpCode> = RequestDecoder.allRequests) {
        self.accepted = accepted.intersection(Self.allRequests)
    }

    /// The bytes still needed for the header or the body.
    public var bytesNeeded: Int { buffer.missing }

    /// Takes the next bytes; checks the header as soon as its 8 bytes are in.
    public mutating func feed(_ bytes: ArraySlice<UInt8>) throws(WireError) -> DecodingStep<Request> {
        guard var reader = buffer.take(bytes) else { return .needMore(buffer.missing) }
        if let code {
            return .done(try Request(code: code, parsingBody: &reader))
        }
        let header = try OpCommon(parsing: &reader)
        guard let code = header.opCode, accepted.contains(code), let length = Request.bodyLength(forRequest: code) else {
            throw .unknownOpCode(UInt32(header.code))
        }
        try header.requireZeroStatus()
        self.code = code
        guard length > 0 else { return .done(try Request(code: code, parsingBody: &reader)) }
        buffer.next(length: length)
        return .needMore(length)
    }
}
