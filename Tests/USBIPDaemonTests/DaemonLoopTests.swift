#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
import USBIPWire
import USBIPNet
import USBIPDaemon

@Suite(.serialized) struct DaemonLoopTests {
    static let devlistRequest: [UInt8] = [0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0]

    static func importRequest(_ busid: String) -> [UInt8] {
        [0x01, 0x11, 0x80, 0x03, 0, 0, 0, 0] + padded(busid, 32)
    }

    /// The 312-byte record of `sampleDevice(busid, …)`, built field by field.
    static func expectedRecord(_ busid: String, interfaces: UInt8) -> [UInt8] {
        padded("/sys/devices/pci0000:00/0000:00:05.0/usb2/" + busid, 256) + padded(busid, 32)
            + be32(2) + be32(3) + be32(5) + be16(0x46f4) + be16(0x0001) + be16(0)
            + [0, 0, 0, 1, 1, interfaces]
    }

    @Test func devlistIsByteExactAndLeavesOutUsedDevices() throws {
        let backend = FakeExportBackend(
            devices: [sampleDevice("2-1", interfaces: [(8, 6, 0x50), (3, 1, 1)]), sampleDevice("2-2", interfaces: [(9, 0, 0)])],
            statuses: [BusID("2-2")!: .used])
        let daemon = try RunningDaemon(backend: backend)
        defer { daemon.stop() }
        let reply = try daemon.exchange(Self.devlistRequest)
        let expected: [UInt8] = [0x01, 0x11, 0x00, 0x05, 0, 0, 0, 0] + be32(1)
            + Self.expectedRecord("2-1", interfaces: 2) + [8, 6, 0x50, 0, 3, 1, 1, 0]
        #expect(reply == expected)
        #expect(daemon.log.contains("connection from 127.0.0.1:"))
        #expect(daemon.log.contains("received request: 0x8005("))
    }

    enum ImportCase: String, CaseIterable { case notExported, used, error, handOverFails, statusFails, available }

    @Test(arguments: ImportCase.allCases)
    func importStatuses(_ kind: ImportCase) throws {
        var statuses: [BusID: ExportStatus] = [:]
        if kind == .used { statuses[BusID("2-1")!] = .used }
        if kind == .error { statuses[BusID("2-1")!] = .error }
        let backend = FakeExportBackend(devices: [sampleDevice("2-1", interfaces: [(8, 6, 0x50)])], statuses: statuses)
        backend.failHandOver = kind == .handOverFails
        backend.failStatus = kind == .statusFails
        let daemon = try RunningDaemon(backend: backend)
        defer { daemon.stop() }
        let reply = try daemon.exchange(Self.importRequest(kind == .notExported ? "1-9" : "2-1"))
        let expectedStatus: UInt32
        switch kind {
        case .notExported: expectedStatus = 4
        case .used: expectedStatus = 2
        case .error: expectedStatus = 3
        case .handOverFails, .statusFails: expectedStatus = 1
        case .available: expectedStatus = 0
        }
        var expected: [UInt8] = [0x01, 0x11, 0x00, 0x03] + be32(expectedStatus)
        if kind == .available { expected += Self.expectedRecord("2-1", interfaces: 1) }
        #expect(reply == expected)
        let handed = backend.handed
        #expect(handed.count == (kind == .available ? 1 : 0))
        if kind == .available {
            #expect(handed.first?.busid == BusID("2-1"))
            #expect(handed.first?.wasSocket == true)
        }
    }

    @Test(arguments: [UInt16(0x8002), 0x8004, 0x8006, 0x8007, 0x0005, 0x1234])
    func unservedCodesAreClosedWithoutReply(_ code: UInt16) throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: []))
        defer { daemon.stop() }
        // EXPORT/UNEXPORT are well-formed requests that usbipd does not serve: send a whole one.
        let body = [UInt8](repeating: 0, count: code == 0x8006 || code == 0x8007 ? 312 : 0)
        let reply = try daemon.exchange([0x01, 0x11] + be16(code) + [0, 0, 0, 0] + body)
        #expect(reply.isEmpty)
        #expect(daemon.log.contains("received an unknown opcode: 0x" + hex4(code)))
    }

    @Test(arguments: [UInt16(0x0100), 0x0110, 0x1101, 0xFFFF])
    func wrongVersionIsClosedWithoutReply(_ version: UInt16) throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: [sampleDevice("2-1", interfaces: [])]))
        defer { daemon.stop() }
        let reply = try daemon.exchange(be16(version) + [0x80, 0x05, 0, 0, 0, 0])
        #expect(reply.isEmpty)
        #expect(daemon.log.contains("unsupported version"))
    }

    @Test func nonZeroRequestStatusIsClosed() throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: []))
        defer { daemon.stop() }
        #expect(try daemon.exchange([0x01, 0x11, 0x80, 0x05, 0, 0, 0, 1]).isEmpty)
    }

    @Test func devlistReplyShapedRequestWithHugeCountIsHandled() throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: [sampleDevice("2-1", interfaces: [])]))
        defer { daemon.stop() }
        // A reply PDU (code 0x0005) announcing 2^32-1 devices: not a request, closed at once.
        let hostile: [UInt8] = [0x01, 0x11, 0x00, 0x05, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(try daemon.exchange(hostile + [UInt8](repeating: 0xAB, count: 4096)).isEmpty)
        // A DEVLIST request followed by the same count: the request is answered, the rest never read.
        let reply = try daemon.exchange(Self.devlistRequest + [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(reply.prefix(12)) == [0x01, 0x11, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(reply.count == 12 + 312)
    }

    @Test func hostileClientsDoNotBlockAGoodOne() throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: [sampleDevice("2-1", interfaces: [])]))
        defer { daemon.stop() }
        var hostile: [TCPConnection] = []
        for i in 0..<40 {
            let c = try TCPConnection.connect(host: "127.0.0.1", port: daemon.port)
            switch i % 4 {
            case 0: break  // silent (slowloris)
            case 1: try c.write([0x01, 0x11, 0x80], operation: "send")  // truncated header
            case 2: try c.write([0x01, 0x11, 0x80, 0x03, 0, 0, 0, 0, 0x31], operation: "send")  // truncated import
            default: try c.write([UInt8](repeating: 0x5A, count: 100), operation: "send")  // garbage
            }
            hostile.append(c)
        }
        let start = monotonicMillisecondsForTests()
        let reply = try daemon.exchange(Self.devlistRequest)
        let elapsed = monotonicMillisecondsForTests() - start
        #expect(reply.count == 12 + 312)
        #expect(elapsed < 2000, "a good client waited \(elapsed) ms behind hostile ones")
        for c in hostile { c.close() }
    }

    @Test func slowPeersTimeOut() throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: []), timeoutSeconds: 1)
        defer { daemon.stop() }
        let c = try TCPConnection.connect(host: "127.0.0.1", port: daemon.port)
        c.setDeadline(seconds: 5)
        try c.write([0x01, 0x11], operation: "send")
        let start = monotonicMillisecondsForTests()
        #expect(readToEOF(c).isEmpty)
        let elapsed = monotonicMillisecondsForTests() - start
        #expect(elapsed >= 800 && elapsed < 4000, "closed after \(elapsed) ms")
        #expect(daemon.log.contains("timed out waiting for the request"))
    }

    @Test func descriptorsReturnToBaselineAfterHostileConnections() throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: [sampleDevice("2-1", interfaces: [])]), timeoutSeconds: 1)
        defer { daemon.stop() }
        _ = try daemon.exchange(Self.devlistRequest)
        let baseline = openDescriptorCount()
        for i in 0..<200 {
            let c = try TCPConnection.connect(host: "127.0.0.1", port: daemon.port)
            switch i % 5 {
            case 0: try? c.write([0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0], operation: "send")
            case 1: try? c.write([0x01], operation: "send")
            case 2: try? c.write([0x99, 0x99, 0x80, 0x05, 0, 0, 0, 0], operation: "send")
            case 3: try? c.write([0x01, 0x11, 0x80, 0x03, 0, 0, 0, 0] + padded("2-1", 32), operation: "send")
            default: break
            }
            c.close()
        }
        var now = openDescriptorCount()
        for _ in 0..<60 where now > baseline + 4 {
            usleep(100_000)
            now = openDescriptorCount()
        }
        // Parallel suites may hold a few descriptors of their own; a leak here would be tens or hundreds.
        #expect(now <= baseline + 4, "descriptors: \(baseline) before, \(now) after")
        #expect(try daemon.exchange(Self.devlistRequest).count == 12 + 312)
    }

    @Test func deniedPeersAreLoggedAndClosedBeforeAnyRead() throws {
        let daemon = try RunningDaemon(backend: FakeExportBackend(devices: [sampleDevice("2-1", interfaces: [])]),
                                       policy: FixedPolicy(allow: false))
        defer { daemon.stop() }
        #expect(try daemon.exchange(Self.devlistRequest).isEmpty)
        #expect(daemon.log.contains("denied access from 127.0.0.1"))
        #expect(!daemon.log.contains("connection from"))
        #expect(!daemon.log.contains("received request"))
    }
}

func monotonicMillisecondsForTests() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

func hex4(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
