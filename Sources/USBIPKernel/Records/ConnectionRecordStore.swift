#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
package import SystemPackage
package import USBIPSupport

/// The connection record files of the application side, one per vhci_hcd port: `/var/run/vhci_hcd/port<N>`
/// (N the global port number, decimal, no padding), compatible with the C tools in both directions.
package struct ConnectionRecordStore: Sendable {
    /// Where the C tools keep the records (`VHCI_STATE_PATH`).
    package static let defaultDirectory: FilePath = "/var/run/vhci_hcd"
    /// The most bytes read from a record file (the C reader's buffer is 1092 bytes).
    static let maxReadBytes = 4096

    /// The directory holding the `port<N>` files.
    package let directory: FilePath

    /// A store in `directory` (default `/var/run/vhci_hcd`).
    package init(directory: FilePath = ConnectionRecordStore.defaultDirectory) {
        self.directory = directory
    }

    /// The path of the record of vhci port `port`.
    package func path(port: Int) -> FilePath { directory.appending("port\(port)") }

    /// Writes the record of `port` as the C tools do: creates the directory with mode 0700 if missing (an
    /// existing non-directory is an error), then `port<N>` with `O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC`, mode 0700,
    /// one `write()` of ``ConnectionRecord/line``. Unlike C, a record the reader would reject (empty field,
    /// whitespace, over-long) is refused with `EINVAL` instead of being silently truncated at 100 bytes.
    package func write(_ record: ConnectionRecord, port: Int) throws(USBIPError) {
        let file = path(port: port)
        guard port >= 0, record.isValid else {
            throw .recordFile(operation: "write", path: file.string, errno: .invalidArgument)
        }
        try makeDirectory()
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(
                file, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWriteExecute]
            )
        } catch {
            throw .recordFile(operation: "create", path: file.string, errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        let bytes = Array(record.line.utf8)
        let written: Int
        do {
            written = try bytes.withUnsafeBytes { try fd.write($0) }
        } catch {
            throw .recordFile(operation: "write", path: file.string, errno: error as? Errno ?? .ioError)
        }
        guard written == bytes.count else {
            throw .recordFile(operation: "write", path: file.string, errno: .ioError)
        }
    }

    /// `mkdir(directory, 0700)`; an existing directory is fine, an existing non-directory fails with `ENOTDIR`.
    private func makeDirectory() throws(USBIPError) {
        if mkdir(directory.string, 0o700) == 0 { return }
        let error = Errno(rawValue: errno)
        guard error == .fileExists else {
            throw .recordFile(operation: "create directory for", path: directory.string, errno: error)
        }
        var st = stat()
        guard stat(directory.string, &st) == 0 else {
            throw .recordFile(operation: "create directory for", path: directory.string, errno: Errno(rawValue: errno))
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .recordFile(operation: "create directory for", path: directory.string, errno: .notDirectory)
        }
    }

    /// Reads the record of `port`; `nil` when there is none. A file the C reader would reject (no newline, not
    /// three single-space separated fields, a field too long) fails with `EINVAL`.
    package func read(port: Int) throws(USBIPError) -> ConnectionRecord? {
        let file = path(port: port)
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(file, .readOnly, options: [.closeOnExec])
        } catch {
            let errno = error as? Errno ?? .ioError
            if errno == .noSuchFileOrDirectory { return nil }
            throw .recordFile(operation: "read", path: file.string, errno: errno)
        }
        defer { try? fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count < Self.maxReadBytes {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            } catch {
                throw .recordFile(operation: "read", path: file.string, errno: error as? Errno ?? .ioError)
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if chunk[0..<n].contains(UInt8(ascii: "\n")) { break }
        }
        guard let record = ConnectionRecord(parsing: bytes) else {
            throw .recordFile(operation: "parse", path: file.string, errno: .invalidArgument)
        }
        return record
    }

    /// Removes the record of `port` (a missing file is fine), then tries to remove the directory, which
    /// fails quietly while other records remain (as mainline `usbip detach` does).
    package func remove(port: Int) throws(USBIPError) {
        let file = path(port: port)
        if unlink(file.string) != 0 {
            let error = Errno(rawValue: errno)
            if error != .noSuchFileOrDirectory {
                throw .recordFile(operation: "remove", path: file.string, errno: error)
            }
        }
        if rmdir(directory.string) != 0 {
            let error = Errno(rawValue: errno)
            if error != .directoryNotEmpty && error != .fileExists && error != .noSuchFileOrDirectory {
                throw .recordFile(operation: "remove directory of", path: directory.string, errno: error)
            }
        }
    }

    /// The ports that have a record file (`port<N>` entries of the directory), sorted; empty when the
    /// directory does not exist.
    package func ports() -> [Int] {
        guard let dir = opendir(directory.string) else { return [] }
        defer { closedir(dir) }
        var result: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("port") else { continue }
            let digits = name.dropFirst(4)
            guard !digits.isEmpty, digits.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let port = Int(digits)
            else { continue }
            result.append(port)
        }
        return result.sorted()
    }
}
