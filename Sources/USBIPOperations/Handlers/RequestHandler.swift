package import Logging
package import USBIPWire
package import USBIPNet

/// Serves one parsed management request on an accepted connection: the part that differs between `usbipd`
/// (``HostRequestHandler``: DEVLIST, IMPORT) and `usbipa` (EXPORT, UNEXPORT). ``DaemonLoop`` reads the request,
/// calls the handler on a worker thread and closes the connection afterwards.
package protocol RequestHandler: Sendable {
    /// Handles `request`, replying on `connection` as needed. Returns `true` when the socket was handed to the kernel
    /// (the connection now carries URB traffic; the loop only drops its own descriptor). Thrown errors are logged by
    /// the loop and the connection is closed without a reply.
    func handle(_ request: Request, on connection: TCPConnection, logger: Logger) throws -> Bool

    /// Whether this daemon serves requests with `code`; the loop closes the connection of any other code right
    /// after its 8-byte header (`received an unknown opcode`), without reading a body.
    func serves(_ code: OpCode) -> Bool
}

extension RequestHandler {
    /// By default every request ``Request`` can parse is served.
    package func serves(_ code: OpCode) -> Bool { Request.bodyLength(forRequest: code) != nil }
}
