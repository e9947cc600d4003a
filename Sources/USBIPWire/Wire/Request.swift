/// A management request as a server receives it: the four operations this package serves.
///
/// A server reads the 8-byte `op_common`, asks ``bodyLength(forRequest:)-(UInt16)`` how many body bytes follow, reads
/// exactly those and builds the request with ``init(header:body:)`` (or lets ``receive(from:)`` do all three).
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

    /// The number of body bytes that follow the `op_common` of a request with this code, or `nil` when the code is
    /// not a request this package serves.
    public static func bodyLength(forRequest code: UInt16) -> Int? {
        OpCode(rawValue: code).flatMap(bodyLength(forRequest:))
    }

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

    /// Parses a whole request: `op_common` (version checked, status must be 0), then the body its code calls for.
    public init(parsing r: inout ByteReader) throws(WireError) {
        let header = try OpCommon(parsing: &r)
        try self.init(header: header, parsingBody: &r)
    }

    /// Builds a request from an already-read header and exactly its body bytes (``bodyLength(forRequest:)-(UInt16)``).
    ///
    /// Throws ``WireError/invalidValue(field:value:)`` naming `trailing bytes` when `body` is longer than needed.
    public init(header: OpCommon, body: [UInt8]) throws(WireError) {
        var reader = ByteReader(body)
        try self.init(header: header, parsingBody: &reader)
        guard reader.remaining == 0 else {
            throw .invalidValue(field: "trailing bytes", value: UInt64(reader.remaining))
        }
    }

    /// Builds a request from an already-read header and the body at the reader's position.
    ///
    /// Throws ``WireError/unknownOpCode(_:)`` for a code that is not served and
    /// ``WireError/invalidValue(field:value:)`` naming `status` when the header's status is not 0 (usbipd refuses
    /// such requests).
    public init(header: OpCommon, parsingBody r: inout ByteReader) throws(WireError) {
        guard let code = header.opCode, Self.bodyLength(forRequest: code) != nil else {
            throw .unknownOpCode(UInt32(header.code))
        }
        try header.requireZeroStatus()
        switch code {
        case .importRequest: self = .importDevice(try ImportRequest(parsingBody: &r))
        case .exportRequest: self = .export(try ExportRequest(parsingBody: &r))
        case .unexportRequest: self = .unexport(try UnexportRequest(parsingBody: &r))
        default: self = .devList
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
