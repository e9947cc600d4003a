#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
package import USBIPSupport

/// The daemon's pid file (`-P[FILE]`): `"%d\n"`, held under an exclusive `flock` for the daemon's whole life, so
/// that a second daemon given the same file is refused (``USBIPError/pidFileLocked(path:pid:)``) without
/// truncating or removing the first one's file. Removed at shutdown.
///
/// The file is opened without `O_TRUNC` and truncated only once the lock is held. A daemon that exits unlinks the
/// file before it closes (and so unlocks) it; a newcomer that locked the old, now unlinked file notices that the
/// path no longer leads to it and starts over.
package struct PIDFile: Sendable {
    /// The file's path.
    package let path: String
    /// The open, locked file (close-on-exec, so the `-D` child and nothing else inherits it).
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Locks `path` (created with mode 0644 if missing), writes the current process id to it and returns the file
    /// to ``remove()`` later. Throws `.pidFileLocked` when another process holds the lock, `.pidFile` when the file
    /// cannot be opened, locked or written.
    package static func create(at path: String) throws(USBIPError) -> PIDFile {
        var attempts = 0
        while true {
            attempts += 1
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .pidFile(operation: "open", path: path, errno: Errno(rawValue: errno)) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let error = errno
                let holder = error == EWOULDBLOCK ? recordedPID(fd) : nil
                _ = close(fd)
                if error == EWOULDBLOCK { throw .pidFileLocked(path: path, pid: holder) }
                throw .pidFile(operation: "lock", path: path, errno: Errno(rawValue: error))
            }
            // The lock is only worth something on the file the path names now.
            if isFile(fd, at: path) || attempts >= 8 {
                let file = PIDFile(path: path, fd: fd)
                try file.write("\(getpid())\n")
                return file
            }
            _ = close(fd)
        }
    }

    /// Removes the file, then releases the lock (errors ignored, as at C usbipd's exit).
    package func remove() {
        _ = unlink(path)
        _ = close(fd)
    }

    /// Replaces the file's content with `text`; on failure removes the file and releases the lock.
    private func write(_ text: String) throws(USBIPError) {
        let bytes = Array(text.utf8)
        var n = -1
        if ftruncate(fd, 0) == 0 {
            n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        guard n == bytes.count else {
            // The lock is held: the file is this daemon's, and holds no valid pid.
            let error = Errno(rawValue: n < 0 ? errno : EIO)
            remove()
            throw .pidFile(operation: "write", path: path, errno: error)
        }
    }

    /// Whether `path` still names the file open as `fd` (same device and inode).
    private static func isFile(_ fd: Int32, at path: String) -> Bool {
        var opened = stat()
        var named = stat()
        guard fstat(fd, &opened) == 0, stat(path, &named) == 0 else { return false }
        return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino
    }

    /// The process id a pid file holds (`"%d\n"`), or `nil` when it holds none (yet).
    private static func recordedPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer.prefix(n), as: UTF8.self).split(separator: "\n").first ?? ""
        guard let pid = Int32(text), pid > 0 else { return nil }
        return pid
    }
}
