package import Logging
package import USBIPWire
import USBIPSupport
package import USBIPKernel
import USBIPNet

/// `usbip attach` and `usbip detach` as one transaction each: on any failure the machine is left as it was
/// (no vhci port in use, no connection record).
package enum RemoteImport {
    /// What an attach did.
    package struct Result: Sendable {
        /// The vhci_hcd port the device is on.
        package let port: Int
        /// The remote device's record as the server sent it.
        package let device: DeviceRecord
    }

    /// Imports `busid` from `host:port` onto a free vhci_hcd port and writes the record file.
    ///
    /// Order: check vhci_hcd first (so an unloaded module fails before the remote device is touched); connect
    /// within `timeout`; OP_REQ_IMPORT; hand the socket to vhci_hcd on a port chosen by the device's speed,
    /// retrying on EBUSY with a fresh status read; close our fd; write `/var/run/vhci_hcd/port<N>`; if that
    /// fails, detach the port again.
    package static func attach(
        host: String, port: String, busid: BusID, sysfs: Sysfs, records: ConnectionRecordStore, timeout: Int,
        logger: Logger
    ) throws -> Result {
        let vhci = try VHCIDriver(sysfs: sysfs)
        let ports = try vhci.ports()
        guard ports.contains(where: { $0.portStatus == .free }) else { throw USBIPError.noFreePort(.high) }

        let connection = try TCPConnection.connect(host: host, port: port, timeout: timeout)
        defer { connection.close() }
        connection.setDeadline(seconds: timeout)
        let record = try USBIPClient.requestImport(
            of: busid, on: connection, target: "\(host):\(port)", logger: logger)
        connection.clearDeadline()

        let vhciPort = try vhci.attachToFreePort(
            socket: connection.fd, devid: record.devid, speed: record.usbSpeed, maxAttempts: 16)
        connection.close()  // vhci_hcd holds its own reference now
        logger.debug("attached", metadata: ["busid": "\(busid)", "port": "\(vhciPort)"])

        do {
            try records.write(ConnectionRecord(host: host, port: port, busid: busid.rawValue), port: vhciPort)
        } catch {
            try? vhci.detach(port: vhciPort)
            throw error
        }
        return Result(port: vhciPort, device: record)
    }

    /// Detaches the device on vhci port `port` and removes its record file.
    package static func detach(port: Int, sysfs: Sysfs, records: ConnectionRecordStore, logger: Logger) throws {
        let vhci = try VHCIDriver(sysfs: sysfs)
        let ports = try vhci.ports()
        guard let line = ports.first(where: { $0.port == port }) else {
            throw USBIPError.portOutOfRange(port: port, nports: ports.count)
        }
        guard line.portStatus != .free else { throw USBIPError.portNotInUse(port: port) }
        try vhci.detach(port: port)
        do {
            try records.remove(port: port)
        } catch {
            logger.warning("\(error)")
        }
    }
}
