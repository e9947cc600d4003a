#if canImport(Glibc)
@preconcurrency import Glibc
#endif
package import Logging
package import USBIPWire
package import USBIPSupport
package import USBIPKernel
package import USBIPNet

/// `usbipd`'s requests, as mainline `usbipd.c` serves them: `OP_REQ_DEVLIST` (0x8005) and `OP_REQ_IMPORT` (0x8003).
///
/// DEVLIST lists the backend's exportable devices minus those whose `usbip_status` is `SDEV_ST_USED`. IMPORT looks
/// the bus id up among them: absent → `ST_NODEV` (4), used → `ST_DEV_BUSY` (2), error → `ST_DEV_ERR` (3); when
/// available it sets `TCP_NODELAY` and keepalive, hands the socket to the kernel (`usbip_sockfd`), then replies
/// `ST_OK` with the device record. Any other state or a failed hand-over → `ST_NA` (1). EXPORT and UNEXPORT are
/// `usbipa`'s: the connection is closed without a reply.
package struct HostRequestHandler: RequestHandler {
    /// The devices and the kernel hand-over.
    package let backend: any ExportBackend
    /// Keepalive timers applied to an imported connection.
    package let keepalive: KeepaliveSettings

    /// A handler exporting `backend`'s devices.
    package init(backend: any ExportBackend, keepalive: KeepaliveSettings = KeepaliveSettings()) {
        self.backend = backend
        self.keepalive = keepalive
    }

    /// `OP_REQ_DEVLIST` and `OP_REQ_IMPORT` only.
    package var acceptedRequests: Set<OpCode> { [.devListRequest, .importRequest] }

    /// Serves DEVLIST or IMPORT; returns `true` after a successful IMPORT (the kernel owns the socket).
    package func handle(_ request: Request, on connection: TCPConnection, logger: Logger) throws -> Bool {
        switch request {
        case .devList:
            try connection.write(try devListReply(logger: logger).serialized(), operation: "send devlist reply")
            return false
        case .importDevice(let importRequest):
            return try importDevice(importRequest.busid, on: connection, logger: logger)
        case .export, .unexport:
            throw RequestNotServed(code: request.code)
        }
    }

    /// The DEVLIST reply: exportable devices not in use (mainline leaves out `SDEV_ST_USED`).
    package func devListReply(logger: Logger) throws(USBIPError) -> DevListReply {
        var listed: [ExportedDevice] = []
        for device in try backend.exportableDevices() {
            if let status = try? backend.status(of: device.busid), status == .used {
                logger.debug("not listing \(device.busid.rawValue): in use")
                continue
            }
            listed.append(device.exportedDevice)
        }
        logger.debug("exportable devices: \(listed.count)")
        return DevListReply(devices: listed)
    }

    private func importDevice(_ busid: BusID, on connection: TCPConnection, logger: Logger) throws -> Bool {
        let device: USBDevice?
        do {
            device = try backend.exportableDevices().first { $0.busid == busid }
        } catch {
            logger.error("failed to list exportable devices: \(error)")
            device = nil
        }
        guard let device else {
            logger.info("requested device not found: \(busid.rawValue)")
            try connection.write(ImportReply.failure(.noDevice).serialized(), operation: "send import reply")
            return false
        }
        logger.info("found requested device: \(busid.rawValue)")

        var status = OpStatus.na
        do {
            switch try backend.status(of: busid) {
            case .available:
                connection.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
                connection.setKeepalive(idle: keepalive.idle, interval: keepalive.interval, count: keepalive.count)
                // The kernel must not inherit our management deadlines.
                connection.clearDeadline()
                try backend.handOver(socket: connection.fd, to: busid)
                status = .ok
            case .used:
                logger.error("device \(busid.rawValue) is in use")
                status = .deviceBusy
            case .error:
                logger.error("device \(busid.rawValue) is in error state")
                status = .deviceError
            }
        } catch {
            logger.error("export of \(busid.rawValue) failed: \(error)")
            status = .na
        }
        let reply = status.isSuccess ? ImportReply.success(device.deviceRecord) : ImportReply.failure(status)
        do {
            try connection.write(reply.serialized(), operation: "send import reply")
        } catch {
            // The kernel already owns the socket: it notices the dead peer itself.
            if status.isSuccess { logger.error("sending the import reply failed: \(error)"); return true }
            throw error
        }
        if status.isSuccess { logger.info("exported \(busid.rawValue) to the kernel") }
        return status.isSuccess
    }
}
