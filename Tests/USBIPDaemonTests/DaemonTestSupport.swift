#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging
import SystemPackage
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPNet
import USBIPOperations
import USBIPDaemon

/// An export backend with scripted devices, statuses and hand-over results; records every hand-over.
final class FakeExportBackend: ExportBackend, @unchecked Sendable {
    private let lock = NSLockish()
    private var _devices: [USBDevice]
    private var _statuses: [BusID: ExportStatus]
    private var _handed: [(busid: BusID, wasSocket: Bool)] = []
    var failHandOver = false
    var failStatus = false

    init(devices: [USBDevice], statuses: [BusID: ExportStatus] = [:]) {
        _devices = devices
        _statuses = statuses
    }

    var handed: [(busid: BusID, wasSocket: Bool)] { lock.with { _handed } }
    var driver: KernelDriver { .usbipHost }
    var isLoaded: Bool { true }
    func exportableDevices() throws(USBIPError) -> [USBDevice] { lock.with { _devices } }
    func status(of busid: BusID) throws(USBIPError) -> ExportStatus {
        if failStatus { throw .other("status unreadable") }
        return lock.with { _statuses[busid] ?? .available }
    }
    func handOver(socket fd: Int32, to busid: BusID) throws(USBIPError) {
        if failHandOver { throw .sysfs(operation: "write", path: "usbip_sockfd", errno: .noSuchFileOrDirectory) }
        var info = stat()
        let isSocket = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
        lock.with { _handed.append((busid, isSocket)) }
    }
}

/// A pthread mutex with a closure helper (the tests avoid Foundation).
final class NSLockish: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func with<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Collects log messages.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLockish()
    private var lines: [String] = []
    var messages: [String] { lock.with { lines } }
    func append(_ line: String) { lock.with { lines.append(line) } }
    func contains(_ text: String) -> Bool { messages.contains { $0.contains(text) } }

    /// A logger writing into this capture.
    var logger: Logger {
        var logger = Logger(label: "test") { _ in CaptureHandler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { capture.append("\(event.message)") }
    }
}

/// A policy answering a fixed value.
struct FixedPolicy: AccessPolicy {
    let allow: Bool
    func permits(socket fd: Int32) -> Bool { allow }
}

/// A running in-process daemon on 127.0.0.1 and an ephemeral port.
final class RunningDaemon: @unchecked Sendable {
    let loop: DaemonLoop<HostRequestHandler>
    let port: String
    let log = LogCapture()
    private var thread = pthread_t()

    init(backend: FakeExportBackend, policy: any AccessPolicy = AllowAllPolicy(), timeoutSeconds: Int = 5) throws {
        let opened = try TCPListener.open(port: 0, family: .ipv4, host: "127.0.0.1")
        port = String(opened.listeners[0].address.port)
        loop = try DaemonLoop(
            listeners: opened.listeners, handler: HostRequestHandler(backend: backend), policy: policy,
            logger: log.logger, configuration: DaemonConfiguration(name: "usbipd", timeoutSeconds: timeoutSeconds))
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let daemon = Unmanaged<RunningDaemon>.fromOpaque(raw).takeRetainedValue()
            daemon.loop.run()
            return nil
        }, context)
        precondition(rc == 0)
    }

    /// Stops the loop and waits for it (and its workers).
    func stop() {
        loop.stop()
        pthread_join(thread, nil)
    }

    /// Connects, sends `bytes`, and reads everything until the daemon closes (at most `seconds`).
    func exchange(_ bytes: [UInt8], seconds: Int = 8) throws -> [UInt8] {
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 5)
        connection.setDeadline(seconds: seconds)
        if !bytes.isEmpty { try connection.write(bytes, operation: "send") }
        return readToEOF(connection)
    }
}

/// Reads until EOF or an error (deadline).
func readToEOF(_ connection: TCPConnection) -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { result.append(contentsOf: buffer.prefix(n)); continue }
        if n < 0 && errno == EINTR { continue }
        return result
    }
}

/// The number of open descriptors of this process.
func openDescriptorCount() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(dir) }
    var count = 0
    while readdir(dir) != nil { count += 1 }
    return count
}

/// Big-endian byte helpers for hand-built expectations.
func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
func padded(_ text: String, _ size: Int) -> [UInt8] {
    Array(text.utf8) + [UInt8](repeating: 0, count: size - text.utf8.count)
}

/// A device as a DeviceSource would produce it.
func sampleDevice(_ busid: String, interfaces: [(UInt8, UInt8, UInt8)]) -> USBDevice {
    USBDevice(
        busid: BusID(busid)!, syspath: "/sys/devices/pci0000:00/0000:00:05.0/usb2/" + busid,
        devpath: "/devices/pci0000:00/0000:00:05.0/usb2/" + busid, busnum: 2, devnum: 3, speed: .super,
        idVendor: 0x46f4, idProduct: 0x0001, bcdDevice: 0x0000, deviceClass: 0, deviceSubClass: 0, deviceProtocol: 0,
        configurationValue: 1, numConfigurations: 1, numInterfaces: UInt8(interfaces.count),
        interfaces: interfaces.enumerated().map {
            USBInterface(number: UInt8($0.offset), interfaceClass: $0.element.0, interfaceSubClass: $0.element.1,
                         interfaceProtocol: $0.element.2)
        },
        driver: "usbip-host")
}
