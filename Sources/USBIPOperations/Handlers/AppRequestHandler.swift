package import Logging
package import USBIPWire
package import USBIPSupport
package import USBIPKernel
package import USBIPNet
import SystemPackage

/// The application-side daemon `usbipa` (usbip-next): serves `OP_REQ_EXPORT` (`usbip connect` offers a device,
/// which is plugged into a free vhci_hcd port) and `OP_REQ_UNEXPORT` (`usbip disconnect` withdraws it).
///
/// Differences from usbip-next's `usbipd_app.c`, all wire-compatible:
/// - `OP_REP_EXPORT` (status 0, 8 bytes) is sent **before** the socket is written to vhci_hcd's `attach`, so the
///   first `USBIP_CMD_SUBMIT` can never overtake the reply (protocol §1.7, §5 item 5). If the attach then fails,
///   the socket is closed: the device side sees the stream end and its stub returns to "available".
/// - What can be known before the reply is checked before it: a speed vhci_hcd does not attach, a bus or device
///   number that cannot make the stub's devid (``UnattachableRecord``), and a free port of the device's speed.
///   Those get a failure status (usbip-next replies 0 to some and then fails the attach).
/// - Before a port is chosen, stale records (files whose port is free in vhci_hcd's `status`, left when a
///   connection died on its own) are removed, so they can never match a later `OP_REQ_UNEXPORT`.
/// - Ports are found in the current vhci_hcd layout (hub column, USB 3 ports), by the device's speed.
package struct AppRequestHandler: RequestHandler {
    /// The vhci_hcd driver devices are attached to.
    package let vhci: VHCIDriver
    /// The connection records (`/var/run/vhci_hcd/port<N>`).
    package let records: ConnectionRecordStore

    /// A handler attaching through `vhci` and recording in `records`.
    package init(vhci: VHCIDriver, records: ConnectionRecordStore = ConnectionRecordStore()) {
        self.vhci = vhci
        self.records = records
    }

    /// Why a request did not complete (the daemon logs `request 0x8006(4): failed`).
    package enum Failure: Error, CustomStringConvertible, Sendable {
        /// A request answered with a non-zero status.
        case refused(OpStatus, reason: String)
        /// The export was accepted (status 0 sent) but attaching failed; the socket was closed.
        case attachFailed(USBIPError)

        /// One line for the log.
        package var description: String {
            switch self {
            case .refused(let status, let reason):
                return "refused with status \(status): \(reason)"
            case .attachFailed(let error):
                return "attach failed after the reply, connection closed: \(error)"
            }
        }
    }

    /// Serves one request that arrived on `connection` and closes it. Returns `true` when the socket was handed
    /// to vhci_hcd (a completed export), `false` for a completed unexport; throws ``Failure`` (or a connection
    /// error) when the request did not complete. DEVLIST and IMPORT (which the loop never passes) throw
    /// ``RequestNotServed`` without a reply.
    package func handle(_ request: Request, on connection: TCPConnection, logger: Logger) throws -> Bool {
        switch request {
        case .export(let export):
            try handleExport(export, on: connection, logger: logger)
            return true
        case .unexport(let unexport):
            try handleUnexport(unexport, on: connection, logger: logger)
            return false
        case .devList, .importDevice:
            connection.close()
            throw RequestNotServed(code: request.code)
        }
    }

    /// `usbipa` serves `OP_REQ_EXPORT` and `OP_REQ_UNEXPORT` only; the loop closes any other request after its
    /// header (`received an unknown opcode`).
    package var acceptedRequests: Set<OpCode> { [.exportRequest, .unexportRequest] }

    // MARK: - OP_REQ_EXPORT

    /// `OP_REQ_EXPORT`: check the record (``UnattachableRecord``), choose a free port by its speed, reply status 0,
    /// then attach (retrying on `EBUSY`), then write the record `"<peer-numeric-host> <peer-port> <busid>\n"`
    /// (detaching again if that fails). A record vhci_hcd cannot attach (speed, bus or device number): reply
    /// status 1 (`ST_NA`); no free port of its speed: status 2 (`ST_NO_FREE_PORT`).
    package func handleExport(_ request: ExportRequest, on connection: TCPConnection, logger: Logger) throws {
        defer { connection.close() }
        let device = request.device
        let speed = device.usbSpeed
        var metadata: Logger.Metadata = ["busid": "\(device.busid)", "speed": "\(speed.displayString)"]
        let peer = connection.peer
        metadata["peer"] = peer.map { "\($0)" }

        // What vhci_hcd would refuse after the reply is refused before it (ST_NA).
        if let problem = UnattachableRecord.check(device) {
            logger.error("\(problem)", metadata: metadata)
            try send(ExportReply(status: .na).serialized(), on: connection)
            throw Failure.refused(.na, reason: "\(problem)")
        }
        removeStaleRecords(logger: logger)
        let free: Int?
        do {
            free = VHCIDriver.firstFreePort(in: try vhci.ports(), for: speed)
        } catch {
            try? send(ExportReply(status: .na).serialized(), on: connection)
            throw Failure.refused(.na, reason: "\(error)")
        }
        guard free != nil else {
            logger.error("no free vhci_hcd port for \(device.busid)", metadata: metadata)
            try send(ExportReply(status: .exportNoFreePort).serialized(), on: connection)
            throw Failure.refused(.exportNoFreePort, reason: "\(USBIPError.noFreePort(speed))")
        }
        guard let peer else {
            try? send(ExportReply(status: .na).serialized(), on: connection)
            throw Failure.refused(.na, reason: "the peer's address is unknown")
        }

        // Reply first: once vhci_hcd has the socket it may send USBIP_CMD_SUBMIT at any moment.
        try send(ExportReply(status: .ok).serialized(), on: connection)
        connection.clearDeadline()

        let port: Int
        do {
            port = try attach(device, socket: connection.fd, logger: logger)
        } catch {
            logger.error("attaching \(device.busid) failed after the reply: \(error)", metadata: metadata)
            throw Failure.attachFailed(error)
        }
        connection.close()  // vhci_hcd holds its own reference now
        metadata["port"] = "\(port)"

        let record = ConnectionRecord(host: peer.host, port: String(peer.port), busid: device.busid.rawValue)
        do {
            try records.write(record, port: port)
        } catch {
            logger.error("recording the connection failed, detaching port \(port): \(error)", metadata: metadata)
            do {
                try vhci.detach(port: port)
            } catch let detachError {
                logger.error("detaching port \(port) failed: \(detachError)", metadata: metadata)
            }
            throw Failure.attachFailed(error)
        }
        logger.info("attached \(device.busid) from \(peer) to port \(port)", metadata: metadata)
    }

    /// Attaches `device` to a free port of its speed. vhci_hcd before SuperSpeedPlus support (Debian 12's 6.1:
    /// `valid_args` stops at `USB_SPEED_SUPER`) answers `EINVAL` for speed 6 before it looks at the socket, so
    /// such a device is attached again as SuperSpeed, on the same hub, rather than failing after the reply.
    private func attach(_ device: DeviceRecord, socket fd: Int32, logger: Logger) throws(USBIPError) -> Int {
        let speed = device.usbSpeed
        do {
            return try vhci.attachToFreePort(socket: fd, devid: device.devid, speed: speed)
        } catch where speed == .superPlus && error.sysfsErrno == .invalidArgument {
            logger.info("vhci_hcd does not take SuperSpeedPlus: attaching \(device.busid) as SuperSpeed")
            return try vhci.attachToFreePort(socket: fd, devid: device.devid, speed: .super)
        }
    }

    // MARK: - OP_REQ_UNEXPORT

    /// `OP_REQ_UNEXPORT`: find the in-use port whose record names the peer's numeric address and the request's
    /// bus id, detach it, remove the record, reply 0. No match: 3 (`ST_DEVICE_NOT_FOUND`); detach failure: 1.
    package func handleUnexport(_ request: UnexportRequest, on connection: TCPConnection, logger: Logger) throws {
        defer { connection.close() }
        let busid = request.device.busid
        var metadata: Logger.Metadata = ["busid": "\(busid)"]
        guard let peer = connection.peer else {
            try? send(UnexportReply(status: .na).serialized(), on: connection)
            throw Failure.refused(.na, reason: "the peer's address is unknown")
        }
        metadata["peer"] = "\(peer)"

        let port: Int?
        do {
            port = try matchingPort(host: peer.host, busid: busid, logger: logger)
        } catch {
            try? send(UnexportReply(status: .na).serialized(), on: connection)
            throw Failure.refused(.na, reason: "\(error)")
        }
        guard let port else {
            logger.error("no device \(busid) connected from \(peer.host)", metadata: metadata)
            try send(UnexportReply(status: .exportDeviceNotFound).serialized(), on: connection)
            throw Failure.refused(.exportDeviceNotFound, reason: "no record of \(busid) from \(peer.host)")
        }
        metadata["port"] = "\(port)"
        do {
            try vhci.detach(port: port)
        } catch {
            logger.error("detaching port \(port) failed: \(error)", metadata: metadata)
            try send(UnexportReply(status: .na).serialized(), on: connection)
            throw Failure.refused(.na, reason: "\(error)")
        }
        do {
            try records.remove(port: port)
        } catch {
            logger.warning("\(error)", metadata: metadata)
        }
        try send(UnexportReply(status: .ok).serialized(), on: connection)
        logger.info("detached \(busid) of \(peer.host) from port \(port)", metadata: metadata)
    }

    /// The first in-use vhci_hcd port whose record has host `host` and bus id `busid` (as usbip-next matches:
    /// the recorded source port is ignored).
    package func matchingPort(host: String, busid: BusID, logger: Logger) throws(USBIPError) -> Int? {
        for port in try vhci.ports() where port.isInUse {
            let record: ConnectionRecord?
            do {
                record = try records.read(port: port.port)
            } catch {
                logger.warning("\(error)")
                continue
            }
            if let record, record.host == host, record.busid == busid.rawValue { return port.port }
        }
        return nil
    }

    // MARK: - Stale records

    /// Removes every record whose port is free in vhci_hcd's `status` (the connection died without a detach
    /// through this daemon). Returns the ports whose records were removed. Errors are logged, not thrown.
    @discardableResult
    package func removeStaleRecords(logger: Logger) -> [Int] {
        let recorded = records.ports()
        guard !recorded.isEmpty, let table = try? vhci.ports() else { return [] }
        let free = Set(table.filter(\.isFree).map(\.port))
        var removed: [Int] = []
        for port in recorded where free.contains(port) {
            do {
                try records.remove(port: port)
                removed.append(port)
                logger.debug("removed stale connection record", metadata: ["port": "\(port)"])
            } catch {
                logger.warning("\(error)")
            }
        }
        return removed
    }

    private func send(_ bytes: [UInt8], on connection: TCPConnection) throws(USBIPError) {
        try connection.write(bytes, operation: "send reply")
    }
}
