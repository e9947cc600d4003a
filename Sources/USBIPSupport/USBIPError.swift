package import SystemPackage
package import USBIPWire

/// A kernel module the tools depend on.
package enum KernelDriver: String, Sendable {
    /// `usbip-host`: exports local devices (device side).
    case usbipHost = "usbip-host"
    /// `vhci-hcd`: the virtual host controller that imports remote devices (application side).
    case vhciHCD = "vhci-hcd"
    /// `usbip-vudc`: the virtual UDC that exports a gadget.
    case usbipVUDC = "usbip-vudc"

    /// The module name as `modprobe` takes it.
    package var moduleName: String { rawValue }
}

/// What went wrong, with the object it went wrong on, in words a sysadmin can act on.
///
/// `description` is one lower-case line without a trailing period; the tools print it as `usbip: error: <description>`.
package enum USBIPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A sysfs attribute or file could not be read or written: what was attempted, on which path, and the errno.
    case sysfs(operation: String, path: String, errno: Errno)
    /// A sysfs attribute holds text that does not match the kernel's format.
    case malformedAttribute(path: String, value: String)
    /// A kernel module is not loaded (its sysfs directory is missing).
    case driverNotLoaded(KernelDriver)
    /// No local USB device has this bus id; `available` lists the ones that exist.
    case deviceNotFound(BusID, available: [BusID])
    /// The bus id text is not a valid bus id.
    case invalidBusID(String)
    /// The device is already bound to usbip-host.
    case alreadyBound(BusID)
    /// The device is not bound to usbip-host (unbind, export).
    case notBound(BusID)
    /// The device is a hub, which usbip-host refuses.
    case isHub(BusID)
    /// The device is itself imported through this machine's vhci_hcd (exporting it would loop).
    case bindLoop(BusID, devpath: String)
    /// The device is not in a state that allows the operation (status as read from `usbip_status`).
    case deviceBusy(BusID, ExportStatus)
    /// Every vhci_hcd port that can take a device of this speed is in use.
    case noFreePort(USBSpeed)
    /// The vhci port number is beyond the controller's `nports`.
    case portOutOfRange(port: Int, nports: Int)
    /// The vhci port holds no device.
    case portNotInUse(port: Int)
    /// A host name could not be resolved.
    case resolveFailed(host: String, port: String, reason: String)
    /// A TCP connection could not be made.
    case connectFailed(host: String, port: String, errno: Errno)
    /// A TCP connection attempt took longer than allowed.
    case connectTimedOut(host: String, port: String, seconds: Int)
    /// A socket operation failed: what was attempted (`send`, `recv`, `bind 0.0.0.0:3240`) and the errno.
    case socket(operation: String, errno: Errno)
    /// The peer closed the connection or stayed silent past the deadline while `operation` was under way.
    case peerClosed(operation: String)
    /// The peer sent bytes that are not a valid PDU.
    case malformedPDU(WireError)
    /// The peer answered the request with a failure status (`text` is that status's meaning for this operation).
    case remoteFailure(request: String, target: String, status: UInt32, text: String)
    /// TCP wrappers (hosts.allow / hosts.deny) refused the peer.
    case accessDenied(peer: String)
    /// The operation needs root.
    case notRoot
    /// A connection record file under `/var/run/vhci_hcd` could not be written, read or removed.
    case recordFile(operation: String, path: String, errno: Errno)
    /// A daemon's pid file (`-P`) could not be opened, locked or written.
    case pidFile(operation: String, path: String, errno: Errno)
    /// Another running process holds the lock of the pid file (`pid`, when the file names it).
    case pidFileLocked(path: String, pid: Int32?)
    /// No listening socket could be opened on `port`; `failures` says why for each address family tried.
    case listenFailed(port: UInt16, failures: [String])
    /// A system library could not be loaded (`dlopen`), with the loader's message and the package to install.
    case libraryUnavailable(name: String, reason: String, package: String)
    /// A libudev call failed: what was being created, and the errno.
    case udev(operation: String, errno: Errno)
    /// The server answered an import of `requested` with the record of another device.
    case unexpectedDevice(requested: BusID, received: BusID, target: String)
    /// Nothing listens on `host:port`: the daemon `daemon` is probably not running there.
    case daemonNotListening(host: String, port: String, daemon: String)
    /// Anything else, already worded.
    case other(String)
    /// The usbip-vudc device has no gadget bound, so it has no device descriptor (`dev_desc` fails with ENODEV).
    case noGadgetBound(BusID)

    /// One line naming what failed, on what, and where it helps, what to do.
    package var description: String {
        switch self {
        case .sysfs(let operation, let path, let errno):
            return "cannot \(operation) \(path): \(errno.usbipDescription)"
        case .malformedAttribute(let path, let value):
            return "unexpected content in \(path): \"\(value)\""
        case .driverNotLoaded(let driver):
            let name = driver == .vhciHCD ? "vhci_hcd" : driver.rawValue
            return "\(name) is not loaded: run 'modprobe \(driver.moduleName)'"
        case .deviceNotFound(let busid, let available):
            let list = available.isEmpty ? "none" : available.map(\.rawValue).joined(separator: ", ")
            return "no device \(busid); local devices: \(list)"
        case .invalidBusID(let text):
            return "invalid bus id '\(text)': expected up to 31 characters such as 1-2 or 3-1.4"
        case .alreadyBound(let busid):
            return "device \(busid) is already bound to usbip-host"
        case .notBound(let busid):
            return "device \(busid) is not bound to usbip-host"
        case .isHub(let busid):
            return "device \(busid) is a hub: usbip-host cannot export hubs"
        case .bindLoop(let busid, let devpath):
            return "device \(busid) (\(devpath)) is attached through vhci_hcd: exporting it again would loop"
        case .deviceBusy(let busid, let status):
            return "device \(busid) is not available: \(status.displayString)"
        case .noFreePort(let speed):
            let hub = speed.usesSuperSpeedHub ? "SuperSpeed" : "high-speed"
            return "no free vhci_hcd port for a \(hub) device: detach one with 'usbip detach -p PORT'"
        case .portOutOfRange(let port, let nports):
            return "invalid port \(port): vhci_hcd has ports 0-\(max(nports - 1, 0))"
        case .portNotInUse(let port):
            return "port \(port) is not in use"
        case .resolveFailed(let host, let port, let reason):
            return "cannot resolve \(host):\(port): \(reason)"
        case .connectFailed(let host, let port, let errno):
            return "cannot connect to \(host):\(port): \(errno.usbipDescription)"
        case .connectTimedOut(let host, let port, let seconds):
            return "cannot connect to \(host):\(port): connection timed out after \(seconds) s"
        case .socket(let operation, let errno):
            return "\(operation) failed: \(errno.usbipDescription)"
        case .peerClosed(let operation):
            return "\(operation): the peer closed the connection or did not answer in time"
        case .malformedPDU(let error):
            return "malformed message from peer: \(error)"
        case .remoteFailure(let request, let target, _, let text):
            return "\(request) \(target) refused: \(text)"
        case .accessDenied(let peer):
            return "denied access from \(peer)"
        case .notRoot:
            return "not running as root: run with sudo"
        case .recordFile(let operation, let path, let errno):
            return "cannot \(operation) connection record \(path): \(errno.usbipDescription)"
        case .pidFile(let operation, let path, let errno):
            return "cannot \(operation) pid file \(path): \(errno.usbipDescription): give a writable path with -PFILE"
        case .pidFileLocked(let path, let pid):
            let holder = pid.map { "running process \($0)" } ?? "another running process"
            return "pid file \(path) is locked by \(holder): stop it first or give another file with -PFILE"
        case .listenFailed(let port, let failures):
            return "failed to open a listening socket on port \(port): " + failures.joined(separator: "; ")
        case .libraryUnavailable(let name, let reason, let package):
            return "cannot load \(name) (\(reason)): install \(package)"
        case .udev(let operation, let errno):
            return "cannot create a libudev \(operation): \(errno.usbipDescription)"
        case .unexpectedDevice(let requested, let received, let target):
            return "attach \(requested) on \(target): the server answered for a different device (\(received))"
        case .daemonNotListening(let host, let port, let daemon):
            return "cannot connect to \(host):\(port): \(Errno.connectionRefused.usbipDescription) — is \(daemon) running there?"
        case .other(let text):
            return text
        case .noGadgetBound(let busid):
            return "no gadget is bound to \(busid): bind one through configfs (write \(busid) to the gadget's UDC file)"
        }
    }
}

extension Errno {
    /// The C library's text for this errno (`strerror`), as the C tools print it.
    package var usbipDescription: String {
        // Errno's own description is the strerror text on Linux.
        String(describing: self)
    }
}
