/// The `op_common.code` of a management PDU: requests are `0x8000 | op`, replies are `op`
/// (`OP_REQUEST` / `OP_REPLY` in `usbip_network.h`).
public enum OpCode: UInt16, Sendable, CaseIterable {
    /// Wire name `OP_REQ_DEVINFO` (0x8002): defined, never implemented; usbipd closes the connection.
    case devInfoRequest = 0x8002
    /// Wire name `OP_REQ_IMPORT` (0x8003): attach a remote device.
    case importRequest = 0x8003
    /// Wire name `OP_REQ_CRYPKEY` (0x8004): defined, never implemented.
    case crypKeyRequest = 0x8004
    /// Wire name `OP_REQ_DEVLIST` (0x8005): list exportable devices.
    case devListRequest = 0x8005
    /// Wire name `OP_REQ_EXPORT` (0x8006): usbip-next's `usbip connect` to `usbipa`.
    case exportRequest = 0x8006
    /// Wire name `OP_REQ_UNEXPORT` (0x8007): usbip-next's `usbip disconnect` to `usbipa`.
    case unexportRequest = 0x8007

    /// Wire name `OP_REP_DEVINFO` (0x0002).
    case devInfoReply = 0x0002
    /// Wire name `OP_REP_IMPORT` (0x0003).
    case importReply = 0x0003
    /// Wire name `OP_REP_CRYPKEY` (0x0004).
    case crypKeyReply = 0x0004
    /// Wire name `OP_REP_DEVLIST` (0x0005).
    case devListReply = 0x0005
    /// Wire name `OP_REP_EXPORT` (0x0006).
    case exportReply = 0x0006
    /// Wire name `OP_REP_UNEXPORT` (0x0007).
    case unexportReply = 0x0007

    /// Whether this is a request code (bit 15 set, `OP_REQUEST`).
    public var isRequest: Bool { rawValue & 0x8000 != 0 }

    /// The reply code that answers this request (the code itself for a reply).
    public var reply: OpCode {
        // Every request's `rawValue & 0x7FFF` is a defined reply, so the fallback is never taken.
        OpCode(rawValue: rawValue & 0x7FFF) ?? self
    }

    /// The request code this reply answers (the code itself for a request).
    public var request: OpCode {
        OpCode(rawValue: rawValue | 0x8000) ?? self
    }
}
