#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

@Suite struct ConnectionRecordStoreTests {
    /// A store in a fresh temp directory (`<tmp>/run/vhci_hcd`, not created yet).
    static func store(_ fixture: SysfsFixture) -> ConnectionRecordStore {
        ConnectionRecordStore(directory: fixture.base.appending("run/vhci_hcd"))
    }

    static func makeRunDirectory(_ fixture: SysfsFixture) {
        _ = mkdir(fixture.base.appending("run").string, 0o755)
    }

    static func mode(_ path: FilePath) -> mode_t? {
        var st = stat()
        guard stat(path.string, &st) == 0 else { return nil }
        return st.st_mode
    }

    static func bytes(_ path: FilePath) throws -> [UInt8] {
        let fd = try FileDescriptor.open(path, .readOnly)
        defer { try? fd.close() }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
        return Array(buffer[0..<n])
    }

    static func writeRaw(_ text: String, to path: FilePath) throws {
        let fd = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        defer { try? fd.close() }
        _ = try fd.writeAll(Array(text.utf8))
    }

    @Test func defaultDirectoryIsTheCTools() {
        #expect(ConnectionRecordStore().directory == "/var/run/vhci_hcd")
        #expect(ConnectionRecordStore().path(port: 15) == "/var/run/vhci_hcd/port15")
    }

    @Test func writeIsByteCompatibleWithTheCTool() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        try store.write(ConnectionRecord(host: "127.0.0.1", port: "3240", busid: "2-1"), port: 15)
        let written = try Self.bytes(store.path(port: 15))
        let captured = try Self.bytes(Fixtures.path("vhci_records/port15"))
        #expect(written == captured)
        #expect(written == Array("127.0.0.1 3240 2-1\n".utf8))
    }

    @Test func writeCreatesTheDirectoryAndFileWithMode0700() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        #expect(Self.mode(store.directory) == nil)
        // 0700 survives any usual umask (022, 002, 077); the process umask is not touched (tests run in parallel).
        try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-1"), port: 3)
        let directoryMode = try #require(Self.mode(store.directory))
        #expect(directoryMode & S_IFMT == S_IFDIR)
        #expect(directoryMode & 0o7777 == 0o700)
        let fileMode = try #require(Self.mode(store.path(port: 3)))
        #expect(fileMode & S_IFMT == S_IFREG)
        #expect(fileMode & 0o7777 == 0o700)
    }

    @Test func writeTruncatesAnOlderLongerRecord() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        try store.write(ConnectionRecord(host: "server.example.org", port: "3240", busid: "3-1.4"), port: 0)
        try store.write(ConnectionRecord(host: "::1", port: "9", busid: "1-1"), port: 0)
        #expect(try Self.bytes(store.path(port: 0)) == Array("::1 9 1-1\n".utf8))
    }

    @Test func writeIntoAnExistingDirectoryIsFine() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        _ = mkdir(store.directory.string, 0o755)
        try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-1"), port: 7)
        #expect(try store.read(port: 7) == ConnectionRecord(host: "h", port: "1", busid: "1-1"))
        #expect(try #require(Self.mode(store.directory)) & 0o777 == 0o755)  // left as it was
    }

    @Test func aFileWhereTheDirectoryShouldBeIsAnError() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        try Self.writeRaw("x", to: store.directory)
        let error = #expect(throws: USBIPError.self) {
            try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-1"), port: 7)
        }
        guard case .recordFile(_, let path, let errno)? = error else {
            Issue.record("expected .recordFile, got \(String(describing: error))")
            return
        }
        #expect(path == store.directory.string)
        #expect(errno == .notDirectory)
    }

    @Test func missingParentIsAnError() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        let store = Self.store(fixture)  // <tmp>/run does not exist: mkdir fails with ENOENT, like C
        let error = #expect(throws: USBIPError.self) {
            try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-1"), port: 7)
        }
        guard case .recordFile(_, _, let errno)? = error else {
            Issue.record("expected .recordFile, got \(String(describing: error))")
            return
        }
        #expect(errno == .noSuchFileOrDirectory)
    }

    @Test(arguments: [
        ConnectionRecord(host: "", port: "3240", busid: "1-1"),
        ConnectionRecord(host: "a b", port: "3240", busid: "1-1"),
        ConnectionRecord(host: "h", port: "32\n40", busid: "1-1"),
        ConnectionRecord(host: "h", port: "3240", busid: ""),
        ConnectionRecord(host: String(repeating: "h", count: 1025), port: "3240", busid: "1-1"),
        ConnectionRecord(host: "h", port: String(repeating: "1", count: 32), busid: "1-1"),
        ConnectionRecord(host: "h", port: "3240", busid: String(repeating: "1", count: 33)),
    ])
    func recordsTheReaderWouldRejectAreNotWritten(_ record: ConnectionRecord) throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        let error = #expect(throws: USBIPError.self) { try store.write(record, port: 1) }
        guard case .recordFile(_, _, .invalidArgument)? = error else {
            Issue.record("expected .recordFile EINVAL, got \(String(describing: error))")
            return
        }
        #expect(Self.mode(store.path(port: 1)) == nil)
    }

    @Test func longButValidRecordIsWrittenWhole() throws {
        // The C writer truncates at 100 bytes (losing the newline); its reader accepts up to 1024-byte hosts.
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        let record = ConnectionRecord(host: String(repeating: "a", count: 200) + ".example", port: "3240", busid: "1-1")
        try store.write(record, port: 2)
        #expect(try Self.bytes(store.path(port: 2)) == Array(record.line.utf8))
        #expect(try store.read(port: 2) == record)
    }

    @Test func readsTheCapturedRecord() throws {
        let store = ConnectionRecordStore(directory: Fixtures.path("vhci_records"))
        #expect(try store.read(port: 15) == ConnectionRecord(host: "127.0.0.1", port: "3240", busid: "2-1"))
        #expect(store.ports() == [15])
    }

    @Test func readOfAMissingRecordIsNil() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        let store = Self.store(fixture)
        #expect(try store.read(port: 4) == nil)  // even without the directory
    }

    @Test(arguments: [
        "127.0.0.1 3240 2-1",  // no newline
        "127.0.0.1  3240 2-1\n",  // double space
        "127.0.0.1 3240\n",
        "127.0.0.1 3240 2-1 extra\n",
        " 3240 2-1\n",
        "",
        "127.0.0.1 " + String(repeating: "9", count: 32) + " 2-1\n",
        "127.0.0.1 3240 " + String(repeating: "1", count: 33) + "\n",
    ])
    func malformedRecordsAreErrors(_ content: String) throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        _ = mkdir(store.directory.string, 0o700)
        try Self.writeRaw(content, to: store.path(port: 5))
        let path = store.path(port: 5).string
        #expect(throws: USBIPError.recordFile(operation: "parse", path: path, errno: .invalidArgument)) {
            try store.read(port: 5)
        }
    }

    @Test func onlyTheFirstLineCounts() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        _ = mkdir(store.directory.string, 0o700)
        try Self.writeRaw("10.0.0.2 3240 1-1.2\ngarbage after\n", to: store.path(port: 5))
        #expect(try store.read(port: 5) == ConnectionRecord(host: "10.0.0.2", port: "3240", busid: "1-1.2"))
    }

    @Test func removeDeletesTheFileAndTheEmptyDirectory() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-1"), port: 3)
        try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-2"), port: 15)
        #expect(store.ports() == [3, 15])
        try store.remove(port: 3)
        #expect(store.ports() == [15])
        #expect(Self.mode(store.directory) != nil)  // not empty: kept
        try store.remove(port: 15)
        #expect(Self.mode(store.directory) == nil)  // empty: removed
        #expect(store.ports().isEmpty)
    }

    @Test func removeOfAMissingRecordIsFine() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        try store.remove(port: 9)  // no directory at all
        try store.write(ConnectionRecord(host: "h", port: "1", busid: "1-1"), port: 3)
        try store.remove(port: 9)  // directory with another record
        #expect(store.ports() == [3])
    }

    @Test func portsIgnoresOtherNames() throws {
        let fixture = try SysfsFixture()
        defer { fixture.remove() }
        Self.makeRunDirectory(fixture)
        let store = Self.store(fixture)
        _ = mkdir(store.directory.string, 0o700)
        for name in ["port12", "port3", "port", "portx", "port-1", "other", "port0"] {
            try Self.writeRaw("h 1 1-1\n", to: store.directory.appending(name))
        }
        #expect(store.ports() == [0, 3, 12])
    }
}
