package import Logging
package import USBIPWire
import USBIPSupport
package import USBIPNet

/// The application side's requests to a remote `usbipd`: OP_REQ_DEVLIST (`usbip list -r`) and OP_REQ_IMPORT
/// (`usbip attach`), one request per TCP connection as the protocol requires.
package enum USBIPClient {
    /// Asks `host:port` for its exportable devices (OP_REQ_DEVLIST → OP_REP_DEVLIST).
    package static func listExported(host: String, port: String, timeout: Int = 10, logger: Logger) throws
        -> [ExportedDevice]
    {
        let connection = try TCPConnection.connect(host: host, port: port, timeout: timeout)
        defer { connection.close() }
        connection.setDeadline(seconds: timeout)
        logger.debug("sending OP_REQ_DEVLIST", metadata: ["peer": "\(host):\(port)"])
        var stream = ConnectionStream(connection: connection)
        try stream.send(DevListRequest())
        let reply = try receiveReply(operation: "list devices of \(host):\(port)") { () throws -> DevListReply in
            try DevListReply.receive(from: &stream)
        }
        guard reply.status == .ok else {
            throw USBIPError.remoteFailure(
                request: "device list of", target: "\(host):\(port)", status: reply.status.rawValue,
                text: reply.status.text(for: .devList))
        }
        return reply.devices
    }

    /// Sends OP_REQ_IMPORT for `busid` on an open connection and returns the device record of the reply;
    /// a non-zero status becomes `.remoteFailure` with the mainline text ("Device busy (exported)").
    package static func requestImport(of busid: BusID, on connection: TCPConnection, target: String, logger: Logger)
        throws -> DeviceRecord
    {
        var stream = ConnectionStream(connection: connection)
        logger.debug("sending OP_REQ_IMPORT", metadata: ["busid": "\(busid)", "peer": "\(target)"])
        try stream.send(ImportRequest(busid: busid))
        let reply = try receiveReply(operation: "attach \(busid) on \(target)") { () throws -> ImportReply in
            try ImportReply.receive(from: &stream)
        }
        guard reply.status == .ok, let record = reply.device else {
            throw USBIPError.remoteFailure(
                request: "attach", target: "\(busid) on \(target)", status: reply.status.rawValue,
                text: reply.status.text(for: .importDevice))
        }
        guard record.busid == busid else {
            throw USBIPError.unexpectedDevice(requested: busid, received: record.busid, target: target)
        }
        return record
    }

    /// Runs a receive, turning wire errors into `.malformedPDU` and keeping other errors.
    static func receiveReply<T>(operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WireError {
            throw USBIPError.malformedPDU(error)
        }
    }
}

/// A ``ByteStream`` over a ``TCPConnection``: exact-size reads and full writes within the connection's deadline.
package struct ConnectionStream: ByteStream {
    /// The connection read and written.
    package let connection: TCPConnection

    /// Wraps `connection`.
    package init(connection: TCPConnection) { self.connection = connection }

    /// Reads exactly `count` bytes.
    package mutating func read(exactly count: Int) throws -> [UInt8] {
        try connection.read(exactly: count, operation: "receive")
    }

    /// Writes all of `bytes`.
    package mutating func write(_ bytes: [UInt8]) throws {
        try connection.write(bytes, operation: "send")
    }
}
