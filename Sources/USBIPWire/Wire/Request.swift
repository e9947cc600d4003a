/// A management request as a server receives it: the four operations this package serves.
///
/// A server reads it with ``RequestDecoder``: the 8-byte `op_common`, then exactly the body its code calls for.
/// `OP_REQ_DEVINFO`, `OP_REQ_CRYPKEY` and unknown codes are ``WireError/unknownOpCode(_:)``, after which upstream
/// servers close the connection without a reply.
public enum Request: WireCodable, Hashable {
    /// `OP_REQ_DEVLIST` (0x8005).
    case devList
    /// `OP_REQ_IMPORT` (0x8003).
    case importDevice(ImportRequest)
    /// `OP_REQ_EXPORT` (0x8006, usbip-next).
    case export(ExportRequest)
    /// `OP_REQ_UNEXPORT` (0x8007, usbip-next).
    case unexport(UnexportRequest)

    /// The number of body bytes that follow the `op_common` of this request code, or `nil` when it is not served.
    public static func bodyLength(forRequest code: OpCode) -> Int? {
        switch code {
        case .devListRequest: return DevListRequest.bodyByteCount
        case .importRequest: return ImportRequest.bodyByteCount
        case .exportRequest: return ExportRequest.bodyByteCount
        case .unexportRequest: return UnexportRequest.bodyByteCount
        default: return nil
        }
    }

    /// The request's code.
    public var code: OpCode {
        switch self {
        case .devList: return .devListRequest
        case .importDevice: return .importRequest
        case .export: return .exportRequest
        case .unexport: return .unexportRequest
        }
    }

    /// The operation, for choosing status texts.
    public var operation: OpStatus.Operation {
        switch self {
        case .devList: return .devList
        case .importDevice: return .importDevice
        case .export: return .export
        case .unexport: return .unexport
        }
    }

    /// Parses a whole request with ``RequestDecoder`` (every request code accepted): `op_common` (version
    /// checked, status must be 0), then the body its code calls for.
    public init(parsing r: inout ByteReader) throws(WireError) {
        var decoder = RequestDecoder()
        self = try decoder.decode(from: &r)
    }

    /// Builds the request of `code` from its body at the reader's position (``RequestDecoder`` has checked the
    /// header); a code that is not a request is ``WireError/unknownOpCode(_:)``.
    init(code: OpCode, parsingBody r: inout ByteReader) throws(WireError) {
        switch code {
        case .devListRequest: self = .devList
        case .importRequest: self = .importDevice(try ImportRequest(parsingBody: &r))
        case .exportRequest: self = .export(try ExportRequest(parsingBody: &r))
        case .unexportRequest: self = .unexport(try UnexportRequest(parsingBody: &r))
        default: throw .unknownOpCode(UInt32(code.rawValue))
        }
    }

    /// Writes the whole request.
    public func write(to w: inout ByteWriter) {
        switch self {
        case .devList: DevListRequest().write(to: &w)
        case .importDevice(let request): request.write(to: &w)
        case .export(let request): request.write(to: &w)
        case .unexport(let request): request.write(to: &w)
        }
    }
}
