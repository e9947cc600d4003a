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

    /// The request codes this daemon serves: the loop's ``RequestDecoder`` accepts only these and closes the
    /// connection of any other code right after its 8-byte header (`received an unknown opcode`), without
    /// reading a body, so ``handle(_:on:logger:)`` only ever sees these.
    var acceptedRequests: Set<OpCode> { get }
}

/// A request handed to a handler that does not serve its code (only possible when called directly, not
/// through the daemon loop, whose decoder filters by ``RequestHandler/acceptedRequests``).
package struct RequestNotServed: Error, CustomStringConvertible {
    /// The request's code.
    package let code: OpCode

    /// A failure for a request with `code`.
    package init(code: OpCode) { self.code = code }

    /// `request 0x8005 is not served by this daemon`.
    package var description: String { "request 0x\(Hex.digits(code.rawValue, width: 4)) is not served by this daemon" }
}
