package import Logging
import SystemPackage
package import USBIPWire
import USBIPSupport
package import USBIPKernel
import USBIPNet

/// `usbip connect` and `usbip disconnect` (usbip-next): the device side offers a local device to a remote
/// `usbipa` (`OP_REQ_EXPORT`) and withdraws it again (`OP_REQ_UNEXPORT`). Each is one transaction: when
/// `connect` fails, a device it bound to usbip-host is handed back to its original driver.
package enum RemoteExport {
    /// What a connect did.
    package struct Result: Sendable {
        /// The record sent to `usbipa`.
        package let device: DeviceRecord
        /// Whether this call bound the device to usbip-host (false for vUDC and for a device the user had
        /// bound already).
        package let boundHere: Bool
    }

    /// Exports the local device `busid` to `usbipa` on `host:port`.
    ///
    /// Kernel mode (`vudc == false`): binds the device to usbip-host unless it is already bound there (a device
    /// the user bound with `usbip bind` is used as it is and left bound on failure); the device must be
    /// available (`usbip_status` 1). vUDC mode: `busid` names a `usbip-vudc.N` device with a gadget bound; nothing
    /// is bound or unbound. Then: connect within `timeout`, send `OP_REQ_EXPORT` with the device's record, read
    /// `OP_REP_EXPORT` (a non-zero status becomes `.remoteFailure` with usbip-next's text, e.g.
    /// `connect 1-2 to 10.0.0.5:3240 refused: no free port`), hand the socket to the kernel (`usbip_sockfd`) and
    /// close our descriptor. On any failure after binding, the device is unbound again.
    @discardableResult
    package static func connect(
        host: String, port: String, busid: BusID, vudc: Bool, sysfs: Sysfs, timeout: Int = 10, logger: Logger
    ) throws -> Result {
        try connect(
            host: host, port: port, busid: busid, vudc: vudc, sysfs: sysfs, stub: HostDriver(sysfs: sysfs),
            timeout: timeout, logger: logger)
    }

    /// ``connect(host:port:busid:vudc:sysfs:timeout:logger:)`` with a given usbip-host driver (tests set its
    /// `attributeWriter`).
    @discardableResult
    package static func connect(
        host: String, port: String, busid: BusID, vudc: Bool, sysfs: Sysfs, stub: HostDriver, timeout: Int,
        logger: Logger
    ) throws -> Result {
        if vudc {
            let driver = VUDCDriver(sysfs: sysfs)
            guard let device = try driver.device(busid) else {
                throw USBIPError.deviceNotFound(busid, available: (try? driver.deviceNames()) ?? [])
            }
            let status = try driver.status(of: busid)
            guard status == .available else { throw USBIPError.deviceBusy(busid, status) }
            let record = device.deviceRecord
            try export(record, host: host, port: port, timeout: timeout, logger: logger) { fd throws(USBIPError) in
                try driver.handOver(socket: fd, to: busid)
            }
            return Result(device: record, boundHere: false)
        }

        var boundHere = false
        if stub.currentDriver(of: busid) == HostDriver.driverName {
            logger.debug("device is already bound to usbip-host, using it", metadata: ["busid": "\(busid)"])
        } else {
            try stub.bind(busid, logger: logger)
            boundHere = true
        }
        do {
            let status = try stub.status(of: busid)
            guard status == .available else { throw USBIPError.deviceBusy(busid, status) }
            guard let device = try SysfsDeviceSource(sysfs: sysfs).device(busid) else {
                throw USBIPError.deviceNotFound(busid, available: stub.localDevices())
            }
            let record = device.deviceRecord
            try export(record, host: host, port: port, timeout: timeout, logger: logger) { fd throws(USBIPError) in
                try stub.handOver(socket: fd, to: busid)
            }
            return Result(device: record, boundHere: boundHere)
        } catch {
            if boundHere {
                do {
                    try stub.unbind(busid, logger: logger)
                } catch let undo {
                    logger.error("rollback: unbinding \(busid) failed: \(undo)")
                }
            }
            throw error
        }
    }

    /// Withdraws the device `busid` from `usbipa` on `host:port`: sends `OP_REQ_UNEXPORT` with its record,
    /// expects status 0 (3 becomes `disconnect 1-2 from HOST:PORT refused: device not found`), then, in kernel
    /// mode, unbinds it from usbip-host so that it returns to its original driver.
    ///
    /// `usbipa` matches the request by this connection's source address and the bus id, so it must come from
    /// the address the connect came from.
    package static func disconnect(
        host: String, port: String, busid: BusID, vudc: Bool, sysfs: Sysfs, timeout: Int = 10, logger: Logger
    ) throws {
        try disconnect(
            host: host, port: port, busid: busid, vudc: vudc, sysfs: sysfs, stub: HostDriver(sysfs: sysfs),
            timeout: timeout, logger: logger)
    }

    /// ``disconnect(host:port:busid:vudc:sysfs:timeout:logger:)`` with a given usbip-host driver (tests).
    package static func disconnect(
        host: String, port: String, busid: BusID, vudc: Bool, sysfs: Sysfs, stub hostDriver: HostDriver,
        timeout: Int, logger: Logger
    ) throws {
        let record: DeviceRecord
        if vudc {
            let driver = VUDCDriver(sysfs: sysfs)
            guard let device = try driver.device(busid) else {
                throw USBIPError.deviceNotFound(busid, available: (try? driver.deviceNames()) ?? [])
            }
            record = device.deviceRecord
        } else {
            guard hostDriver.currentDriver(of: busid) == HostDriver.driverName else {
                if !hostDriver.deviceExists(busid) {
                    throw USBIPError.deviceNotFound(busid, available: hostDriver.localDevices())
                }
                throw USBIPError.notBound(busid)
            }
            guard let device = try SysfsDeviceSource(sysfs: sysfs).device(busid) else {
                throw USBIPError.deviceNotFound(busid, available: hostDriver.localDevices())
            }
            record = device.deviceRecord
        }

        let connection = try openConnection(host: host, port: port, timeout: timeout)
        defer { connection.close() }
        connection.setDeadline(seconds: timeout)
        try exchange(
            UnexportRequest(device: record), replyType: UnexportReply.self, on: connection,
            request: "disconnect", target: "\(busid) from \(host):\(port)", texts: .unexport, logger: logger)
        connection.close()
        if !vudc {
            try hostDriver.unbind(busid, logger: logger)
        }
    }

    // MARK: - Steps

    /// Connects, sends `OP_REQ_EXPORT`, reads `OP_REP_EXPORT`, then hands the socket over with `handOver`.
    static func export(
        _ record: DeviceRecord, host: String, port: String, timeout: Int, logger: Logger,
        handOver: (Int32) throws(USBIPError) -> Void
    ) throws {
        let connection = try openConnection(host: host, port: port, timeout: timeout)
        defer { connection.close() }
        connection.setDeadline(seconds: timeout)
        try exchange(
            ExportRequest(device: record), replyType: ExportReply.self, on: connection,
            request: "connect", target: "\(record.busid) to \(host):\(port)", texts: .export, logger: logger)
        connection.clearDeadline()
        try handOver(connection.fd)
        connection.close()  // the kernel holds its own reference now
        logger.debug("handed the connection to the kernel", metadata: ["busid": "\(record.busid)"])
    }

    /// Sends `message` (`OP_REQ_EXPORT` or `OP_REQ_UNEXPORT`) on `connection` and reads its status-only reply;
    /// a status other than success is ``USBIPError/remoteFailure(request:target:status:text:)`` with usbip-next's
    /// text for it (`texts`), malformed bytes ``USBIPError/malformedPDU(_:)``.
    private static func exchange<Reply: StatusOnlyReply>(
        _ message: some DeviceRecordRequest, replyType: Reply.Type, on connection: TCPConnection,
        request: String, target: String, texts: OpStatus.Operation, logger: Logger
    ) throws {
        var stream = ConnectionStream(connection: connection)
        let code = Hex.digits(type(of: message).code.rawValue, width: 4)
        logger.debug("sending the \(request) request (op_common code 0x\(code))", metadata: ["target": "\(target)"])
        try stream.send(message)
        let reply = try USBIPClient.receiveReply(operation: request) { () throws -> Reply in
            try Reply.receive(from: &stream)
        }
        guard reply.status.isSuccess else {
            throw USBIPError.remoteFailure(
                request: request, target: target, status: reply.status.rawValue, text: reply.status.text(for: texts))
        }
    }

    /// `TCPConnection.connect`, with a hint when nothing listens on the port.
    static func openConnection(host: String, port: String, timeout: Int) throws(USBIPError) -> TCPConnection {
        do {
            return try TCPConnection.connect(host: host, port: port, timeout: timeout)
        } catch {
            if case .connectFailed(let h, let p, let errno) = error, errno == .connectionRefused {
                throw .daemonNotListening(host: h, port: p, daemon: "usbipa")
            }
            throw error
        }
    }
}
