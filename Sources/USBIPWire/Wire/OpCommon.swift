/// The 8-byte header that starts every management PDU (`struct op_common` in `usbip_network.h`).
///
/// Layout: `version` u16, `code` u16, `status` u32, all big-endian. Parsing checks only the version; the code is
/// kept as received (unknown codes included) so the caller decides what it accepts.
public struct OpCommon: WireCodable, Hashable {
    /// The header's size on the wire.
    public static let byteCount = 8

    /// `version`: ``USBIPProtocol/version`` (0x0111) in every valid PDU.
    public var version: UInt16
    /// `code`: an ``OpCode`` raw value, kept as received.
    public var code: UInt16
    /// `status`: 0 in requests; the result in replies (see ``OpStatus``).
    public var status: UInt32

    /// Builds a header from raw field values.
    public init(version: UInt16 = USBIPProtocol.version, code: UInt16, status: UInt32 = 0) {
        self.version = version
        self.code = code
        self.status = status
    }

    /// Builds a version-0x0111 header for a known code.
    public init(code: OpCode, status: OpStatus = .ok) {
        self.init(code: code.rawValue, status: status.rawValue)
    }

    /// Parses a header; throws ``WireError/unsupportedVersion(_:)`` unless the version is 0x0111
    /// (`usbip_net_recv_op_common`: "USBIP Kernel and tool version mismatch").
    public init(parsing r: inout ByteReader) throws(WireError) {
        try r.require(Self.byteCount)
        let version = try r.readInteger(as: UInt16.self)
        guard version == USBIPProtocol.version else { throw .unsupportedVersion(version) }
        self.version = version
        self.code = try r.readInteger()
        self.status = try r.readInteger()
    }

    /// Writes the 8 header bytes.
    public func write(to w: inout ByteWriter) {
        w.writeInteger(version)
        w.writeInteger(code)
        w.writeInteger(status)
    }

    /// The code as an ``OpCode``, or `nil` when it is not one the protocol defines.
    public var opCode: OpCode? { OpCode(rawValue: code) }

    /// The status as an ``OpStatus``.
    public var opStatus: OpStatus { OpStatus(rawValue: status) }

    /// Checks that this header is the `reply` a client waits for; returns it for chaining.
    ///
    /// Throws ``WireError/unexpectedReply(expected:received:)`` when the code differs (mainline's client then
    /// reports `ST_ERROR`, "Unexpected response"). The status is not checked: a failure status is a valid reply.
    @discardableResult
    public func expecting(reply: OpCode) throws(WireError) -> OpCommon {
        guard code == reply.rawValue else { throw .unexpectedReply(expected: reply.rawValue, received: code) }
        return self
    }

    /// Checks that this header is the request `request` with status 0, as `usbipd` requires of requests
    /// (`usbip_net_recv_op_common` fails on a non-zero status); returns it for chaining.
    ///
    /// Throws ``WireError/unknownOpCode(_:)`` for another code and ``WireError/invalidValue(field:value:)`` naming
    /// `status` for a non-zero status.
    @discardableResult
    public func expecting(request: OpCode) throws(WireError) -> OpCommon {
        guard code == request.rawValue else { throw .unknownOpCode(UInt32(code)) }
        try requireZeroStatus()
        return self
    }

    /// Throws ``WireError/invalidValue(field:value:)`` naming `status` unless the status is 0 (requests).
    func requireZeroStatus() throws(WireError) {
        guard status == 0 else { throw .invalidValue(field: "status", value: UInt64(status)) }
    }
}
