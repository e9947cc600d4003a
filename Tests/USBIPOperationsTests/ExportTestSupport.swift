#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import SystemPackage
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPNet

/// A connected loopback TCP pair: `client` as `usbip connect` holds it, `server` as a daemon accepted it.
struct LoopbackPair {
    let client: TCPConnection
    let server: TCPConnection

    init() throws {
        let (listeners, _) = try TCPListener.open(port: 0, family: .ipv4, host: "127.0.0.1")
        guard let listener = listeners.first else { throw USBIPError.other("no listener") }
        defer { listener.close() }
        client = try TCPConnection.connect(host: "127.0.0.1", port: String(listener.address.port), timeout: 5)
        switch listener.accept() {
        case .success(let connection): server = connection
        case .failure(let errno): throw USBIPError.socket(operation: "accept", errno: errno)
        }
        client.setDeadline(seconds: 5)
        server.setDeadline(seconds: 5)
    }

    /// The bytes waiting on socket `fd` without blocking (`MSG_DONTWAIT | MSG_PEEK`), up to 64.
    static func pending(on fd: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 64, Int32(MSG_DONTWAIT | MSG_PEEK)) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// The client's local (source) port, what `usbipa` records.
    var clientPort: UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client.fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// A `/tmp` directory for connection records, removed by `remove()`.
struct TempDirectory {
    let path: FilePath

    init() throws {
        var template = Array("/tmp/usbip-records-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }  // swiftlint:disable:this force_unwrapping
        guard made else { throw USBIPError.other("mkdtemp failed") }
        path = FilePath(String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// A store in a subdirectory that does not exist yet (as `/var/run/vhci_hcd` before the first record).
    var store: ConnectionRecordStore { ConnectionRecordStore(directory: path.appending("vhci_hcd")) }

    func remove() {
        let records = store
        for port in records.ports() { try? records.remove(port: port) }
        _ = rmdir(path.appending("vhci_hcd").string)
        _ = rmdir(path.string)
    }
}

/// A device record as `usbip connect` sends it for the stick on 2-1 (SuperSpeed unless `speed` says otherwise).
func sampleRecord(busid: String = "2-1", speed: USBSpeed = .super) -> DeviceRecord {
    DeviceRecord(
        path: "/sys/devices/pci0000:00/0000:00:05.0/usb2/\(busid)", busid: BusID(busid)!,  // swiftlint:disable:this force_unwrapping
        busnum: 2, devnum: 3, speed: speed.rawValue, idVendor: 0x46f4, idProduct: 0x0001, bcdDevice: 0x0100,
        bDeviceClass: 0, bDeviceSubClass: 0, bDeviceProtocol: 0, bConfigurationValue: 1, bNumConfigurations: 1,
        bNumInterfaces: 1)
}
