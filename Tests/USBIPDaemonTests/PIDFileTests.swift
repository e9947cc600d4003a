#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPSupport
import USBIPDaemon

/// The pid file: its content, its lock (a second daemon with the same file is refused and leaves the file alone)
/// and its errors, which name the pid file.
@Suite(.serialized) struct PIDFileTests {
    static func temporaryPath(_ name: String) -> String { "/tmp/usbipd-test-\(getpid())-\(name)" }

    /// The file's content, or `nil` when it cannot be read.
    static func contents(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
    }

    @Test func pidFileHoldsThePidAndIsRemoved() throws {
        let path = Self.temporaryPath("pid")
        // An older, longer content must be truncated.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = write(fd, "99999999999\n", 12)
        close(fd)
        let file = try PIDFile.create(at: path)
        #expect(Self.contents(path) == "\(getpid())\n")
        file.remove()
        #expect(access(path, F_OK) != 0)
    }

    @Test func aSecondPIDFileOnTheSamePathIsRefusedAndLeavesTheFirstAlone() throws {
        let path = Self.temporaryPath("locked")
        unlink(path)
        let first = try PIDFile.create(at: path)
        defer { first.remove() }
        // flock belongs to the open file description: a second open in the same process conflicts as a second
        // daemon would.
        #expect(throws: USBIPError.pidFileLocked(path: path, pid: getpid())) { try PIDFile.create(at: path) }
        #expect(Self.contents(path) == "\(getpid())\n")
        #expect(
            USBIPError.pidFileLocked(path: path, pid: 42).description
                == "pid file \(path) is locked by running process 42: stop it first or give another file with -PFILE")
    }

    @Test func theLockIsFreeAgainAfterRemove() throws {
        let path = Self.temporaryPath("relock")
        unlink(path)
        try PIDFile.create(at: path).remove()
        let again = try PIDFile.create(at: path)
        #expect(Self.contents(path) == "\(getpid())\n")
        again.remove()
        #expect(access(path, F_OK) != 0)
    }

    @Test func aPIDFileThatCannotBeOpenedIsNamedAsAPIDFile() {
        let path = "/nonexistent-dir-\(getpid())/usbipd.pid"
        let expected = USBIPError.pidFile(operation: "open", path: path, errno: .noSuchFileOrDirectory)
        #expect(throws: expected) { try PIDFile.create(at: path) }
        #expect(
            expected.description
                == "cannot open pid file \(path): No such file or directory: give a writable path with -PFILE")
    }
}
