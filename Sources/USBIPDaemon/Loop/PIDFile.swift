#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
package import USBIPSupport

/// The daemon's pid file (`-P[FILE]`): `"%d\n"` written with `O_CREAT|O_TRUNC|O_CLOEXEC`, removed at shutdown.
package struct PIDFile: Sendable {
    /// The file's path.
    package let path: String

    private init(path: String) { self.path = path }

    /// Writes the current process id to `path` (mode 0644) and returns the file to ``remove()`` later.
    package static func create(at path: String) throws(USBIPError) -> PIDFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .recordFile(operation: "open", path: path, errno: Errno(rawValue: errno)) }
        defer { _ = close(fd) }
        let bytes = Array("\(getpid())\n".utf8)
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else {
            throw .recordFile(operation: "write", path: path, errno: Errno(rawValue: n < 0 ? errno : EIO))
        }
        return PIDFile(path: path)
    }

    /// Removes the file (errors ignored, as at C usbipd's exit).
    package func remove() {
        _ = unlink(path)
    }
}
