#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
package import SystemPackage
package import USBIPSupport

/// The sysfs tree the tools read and write, rooted at an injectable directory (default `/sys`) so that tests
/// run on a fixture tree (prometheus/procfs's `FS`).
///
/// Paths handed to a `Sysfs` are **relative to the root** and spelled as under `/sys`
/// (`"bus/usb/drivers/usbip-host/match_busid"`). ``kernelPath(_:)`` gives the path a user or the wire sees
/// (`/sys/...`), whatever the root.
package struct Sysfs: Sendable {
    /// The mount point of sysfs on a running system.
    package static let defaultRoot: FilePath = "/sys"

    /// The directory that stands for `/sys`.
    package let root: FilePath

    /// A sysfs rooted at `root` (default `/sys`).
    package init(root: FilePath = Sysfs.defaultRoot) {
        self.root = root
    }

    /// The absolute path of `relative` under this root, for I/O.
    package func path(_ relative: String) -> FilePath {
        relative.isEmpty ? root : root.appending(relative)
    }

    /// The path as the running kernel names it (`/sys/<relative>`), used in messages and on the wire.
    package func kernelPath(_ relative: String) -> String {
        relative.isEmpty ? "/sys" : "/sys/" + relative
    }

    // MARK: - Reading

    /// Reads the whole content of a sysfs file (attributes are short but report 4096 bytes: read to EOF).
    package func readBytes(_ relative: String) throws(USBIPError) -> [UInt8] {
        let full = path(relative)
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(full, .readOnly, options: [.closeOnExec])
        } catch {
            throw .sysfs(operation: "read", path: kernelPath(relative), errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            } catch {
                throw .sysfs(operation: "read", path: kernelPath(relative), errno: error as? Errno ?? .ioError)
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
            if result.count > 1 << 24 { break }  // no sysfs attribute is this large; stop a runaway read
        }
        return result
    }

    /// Reads a text attribute and trims surrounding whitespace (`bNumInterfaces` reads `" 1\n"`, giving `"1"`).
    package func readAttribute(_ relative: String) throws(USBIPError) -> String {
        let bytes = try readBytes(relative)
        return String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
    }

    /// Reads a text attribute, or `nil` when it does not exist or cannot be read.
    package func readAttributeIfPresent(_ relative: String) -> String? {
        try? readAttribute(relative)
    }

    // MARK: - Writing

    /// Writes `value` to a sysfs attribute as the kernel expects: `open(O_WRONLY)` (never create), one `write()`
    /// of exactly these bytes, no newline added. A short write is an error; the errno is kept.
    package func write(_ value: String, to relative: String) throws(USBIPError) {
        let full = path(relative)
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(full, .writeOnly, options: [.closeOnExec])
        } catch {
            throw .sysfs(operation: "write '\(value)' to", path: kernelPath(relative), errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        let bytes = Array(value.utf8)
        let written: Int
        do {
            written = try bytes.withUnsafeBytes { try fd.write($0) }
        } catch {
            throw .sysfs(operation: "write '\(value)' to", path: kernelPath(relative), errno: error as? Errno ?? .ioError)
        }
        if written != bytes.count {
            throw .sysfs(operation: "write '\(value)' to", path: kernelPath(relative), errno: .ioError)
        }
    }

    // MARK: - Directories and links

    /// Whether something exists at `relative` (following symlinks).
    package func exists(_ relative: String) -> Bool {
        var st = stat()
        return stat(path(relative).string, &st) == 0
    }

    /// Whether `relative` is a directory (following symlinks).
    package func isDirectory(_ relative: String) -> Bool {
        var st = stat()
        return stat(path(relative).string, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory, sorted, without `.` and `..`.
    package func entries(of relative: String) throws(USBIPError) -> [String] {
        guard let dir = opendir(path(relative).string) else {
            throw .sysfs(operation: "list", path: kernelPath(relative), errno: Errno(rawValue: errno))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.prefix(while: { $0 != 0 })
                return String(decoding: bytes, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The target text of the symlink at `relative`, or `nil` when it is not a symlink.
    package func linkTarget(_ relative: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path(relative).string, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The last component of the symlink target at `relative` (e.g. the driver name of `.../driver`).
    package func linkTargetName(_ relative: String) -> String? {
        guard let target = linkTarget(relative) else { return nil }
        return target.split(separator: "/").last.map(String.init)
    }

    /// Resolves every symlink in `relative` inside this root and returns the canonical relative path
    /// (`bus/usb/devices/2-1` → `devices/pci0000:00/0000:00:05.0/usb2/2-1`), or `nil` when a component is missing
    /// or a link leaves the root.
    package func resolve(_ relative: String) -> String? {
        var pending = relative.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                guard !resolved.isEmpty else { return nil }
                resolved.removeLast()
                continue
            }
            let candidate = (resolved + [component]).joined(separator: "/")
            if let target = linkTarget(candidate) {
                hops += 1
                if hops > 40 { return nil }
                let targetComponents = target.split(separator: "/").map(String.init)
                if target.hasPrefix("/") {
                    // An absolute target names a path on the running system: map /sys/... into this root.
                    guard targetComponents.first == "sys" else { return nil }
                    resolved = []
                    pending = Array(targetComponents.dropFirst()) + pending
                } else {
                    pending = targetComponents + pending
                }
                continue
            }
            guard exists(candidate) else { return nil }
            resolved.append(component)
        }
        return resolved.joined(separator: "/")
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (space, tab, newline, CR).
    package func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !$0.isASCIIWhitespace }),
              let last = bytes.lastIndex(where: { !$0.isASCIIWhitespace })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

extension UInt8 {
    /// Whether the byte is ASCII whitespace as C's `isspace` sees it: space, `\t`, `\n`, `\v`, `\f`, `\r`.
    package var isASCIIWhitespace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
}
