#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
package import SystemPackage
package import USBIPKernel

/// A throw-away sysfs tree in a temp directory (`mkdtemp` under `/tmp`), built from a small DSL or copied from a
/// captured tree, for tests that read and write through ``Sysfs``.
///
/// Layout: ``root`` is `<tmp>/sys` and stands for `/sys`; paths given to the DSL are relative to it and spelled
/// as under `/sys`. Symlinks are relative, like the kernel's (`bus/usb/devices/2-1 -> ../../../devices/…`).
///
/// Write-only kernel attributes (`bind`, `unbind`, `match_busid`, `rebind`, `drivers_probe`, `attach`,
/// `detach`, `usbip_sockfd`) are plain files; ``Sysfs/write(_:to:)`` opens them `O_WRONLY` without truncating,
/// so after a write ``contents(of:)`` shows the bytes written (create them empty, and mind that a shorter later
/// write leaves the tail of a longer earlier one). To make a write fail, create a directory at that path
/// (`EISDIR`) — tests run as root, so file modes do not stop writes.
///
/// Nothing is deleted implicitly (a `deinit` could run as soon as the last use of the value, while the code
/// under test still works on the tree): call ``remove()`` — `defer { fixture.remove() }` — or use
/// ``withSysfsFixture(_:_:)``.
package struct SysfsFixture: Sendable {
    /// One thing to create in the tree.
    package indirect enum Entry: Sendable {
        /// A USB device (or interface) node: the directory `path` with `attributes` files (content exactly as
        /// given), the link `bus/usb/devices/<busid>` to it, and when `driver` is set, its `driver` link to
        /// `bus/usb/drivers/<driver>` plus the driver's link back (the driver directory is created if needed).
        case device(_ busid: String, path: String, attributes: [String: String] = [:], driver: String? = nil)
        /// A USB driver directory `bus/usb/drivers/<name>` with `attributes` files.
        case driver(_ name: String, attributes: [String: String] = [:])
        /// A file with exactly `content`, its parent directories created.
        case file(_ path: String, _ content: String)
        /// A symlink at `path` whose target text is `target` (relative targets stay relative).
        case symlink(_ path: String, _ target: String)
        /// An empty directory (also: a path where a write must fail with `EISDIR`).
        case directory(_ path: String)
        /// Several entries, applied in order.
        case group([Entry])

        /// usbip-host with its attributes as empty files (`match_busid` holding `matching`, kernel format).
        package static func usbipHost(matching: [String] = []) -> Entry {
            .driver(
                "usbip-host",
                attributes: [
                    "match_busid": matching.map { $0 + " " }.joined() + "\n",
                    "bind": "", "unbind": "", "rebind": "",
                ]
            )
        }

        /// A generic USB driver (default `usb`) with empty `bind` and `unbind` files.
        package static func usbDriver(_ name: String = "usb") -> Entry {
            .driver(name, attributes: ["bind": "", "unbind": ""])
        }

        /// The driver core's empty `bus/usb/drivers_probe` file.
        package static var driversProbe: Entry { .file("bus/usb/drivers_probe", "") }

        /// A vhci_hcd controller 0 at `path` with `nports`, empty `attach`/`detach`, and `status` texts
        /// (`status`, `status.1`, …), plus `extraControllers` sibling directories `vhci_hcd.1`, ….
        package static func vhci(
            path: String = "devices/platform/vhci_hcd.0", nports: Int, status: [String], extraControllers: Int = 0
        ) -> Entry {
            var entries: [Entry] = [
                .file(path + "/nports", "\(nports)\n"),
                .file(path + "/attach", ""),
                .file(path + "/detach", ""),
            ]
            for (index, text) in status.enumerated() {
                entries.append(.file(path + (index == 0 ? "/status" : "/status.\(index)"), text))
            }
            let parent = path.split(separator: "/").dropLast().joined(separator: "/")
            if extraControllers > 0 {
                for index in 1...extraControllers {
                    entries.append(.directory(parent + "/vhci_hcd.\(index)"))
                }
            }
            return .group(entries)
        }
    }

    /// Why the fixture could not be built.
    package struct Failure: Error, CustomStringConvertible {
        /// What failed.
        package let description: String
    }

    /// The temp directory holding everything (deleted by ``remove()``), `/tmp/usbip-sysfs-XXXXXX`.
    package let base: FilePath
    /// The directory standing for `/sys` (`<base>/sys`).
    package let root: FilePath

    /// A `Sysfs` rooted at the fixture.
    package var sysfs: Sysfs { Sysfs(root: root) }

    /// A fresh empty tree, then `entries` applied in order.
    package init(_ entries: [Entry]) throws {
        var template = Array("/tmp/usbip-sysfs-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw Failure(description: "mkdtemp failed: errno \(errno)") }
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        base = FilePath(path)
        root = base.appending("sys")
        do {
            try Self.makeDirectories(root)
            try add(entries)
        } catch {
            Self.removeTree(base)
            throw error
        }
    }

    /// A fresh tree with `entries` applied in order.
    package init(_ entries: Entry...) throws {
        try self.init(entries)
    }

    /// A writable copy of a captured tree under `Tests/Fixtures/<capture>/sys` (`sysfs-idle`,
    /// `sysfs-attached`, `sysfs-gadget`), symlinks kept.
    ///
    /// The checked-in captures store each symlink as a regular file holding the link target (git keeps them
    /// that way here); a file whose content starts with `../` and has no newline — no sysfs attribute looks like
    /// that — is recreated as the symlink it stood for. Real symlinks are copied as symlinks.
    package static func copy(of capture: String, adding entries: [Entry] = []) throws -> SysfsFixture {
        let fixture = try SysfsFixture([])
        do {
            try copyTree(from: Fixtures.path(capture).appending("sys"), to: fixture.root)
            try fixture.add(entries)
        } catch {
            fixture.remove()
            throw error
        }
        return fixture
    }

    // MARK: - Building

    /// Applies more entries to the tree (later entries replace files and links made by earlier ones).
    package func add(_ entries: [Entry]) throws {
        for entry in entries { try apply(entry) }
    }

    /// Applies more entries to the tree.
    package func add(_ entries: Entry...) throws { try add(entries) }

    private func apply(_ entry: Entry) throws {
        switch entry {
        case .device(let busid, let path, let attributes, let driver):
            try Self.makeDirectories(root.appending(path))
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                try writeFile(path + "/" + name, value)
            }
            try link("bus/usb/devices/" + busid, to: path)
            if let driver {
                let driverPath = "bus/usb/drivers/" + driver
                try Self.makeDirectories(root.appending(driverPath))
                try link(path + "/driver", to: driverPath)
                try link(driverPath + "/" + busid, to: path)
            }
        case .driver(let name, let attributes):
            let driverPath = "bus/usb/drivers/" + name
            try Self.makeDirectories(root.appending(driverPath))
            for (attribute, value) in attributes.sorted(by: { $0.key < $1.key }) {
                try writeFile(driverPath + "/" + attribute, value)
            }
        case .file(let path, let content):
            try writeFile(path, content)
        case .symlink(let path, let target):
            try symlinkRaw(path, target: target)
        case .directory(let path):
            let full = root.appending(path)
            var st = stat()
            if lstat(full.string, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
                _ = unlink(full.string)  // replace a file, e.g. to make writes to an attribute fail
            }
            try Self.makeDirectories(full)
        case .group(let entries):
            try add(entries)
        }
    }

    /// A relative symlink at `path` pointing at `target` (both relative to the root), as the kernel makes them.
    private func link(_ path: String, to target: String) throws {
        let depth = path.split(separator: "/").count - 1
        let relative = String(repeating: "../", count: depth) + target
        try symlinkRaw(path, target: relative)
    }

    private func symlinkRaw(_ path: String, target: String) throws {
        let full = root.appending(path)
        try Self.makeParent(of: full)
        _ = unlink(full.string)
        guard symlink(target, full.string) == 0 else {
            throw Failure(description: "symlink \(full) -> \(target): errno \(errno)")
        }
    }

    private func writeFile(_ path: String, _ content: String) throws {
        try Self.writeFile(root.appending(path), bytes: Array(content.utf8))
    }

    // MARK: - Inspecting

    /// The content of the file at `relative` (what the code under test wrote), or `""` when it cannot be read.
    package func contents(of relative: String) -> String {
        guard let fd = try? FileDescriptor.open(root.appending(relative), .readOnly) else { return "" }
        defer { try? fd.close() }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while let n = try? chunk.withUnsafeMutableBytes({ try fd.read(into: $0) }), n > 0 {
            result += chunk[0..<n]
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether anything (file, directory or symlink, even dangling) exists at `relative`.
    package func exists(_ relative: String) -> Bool {
        var st = stat()
        return lstat(root.appending(relative).string, &st) == 0
    }

    // MARK: - Removal

    /// Deletes the whole temp tree.
    package func remove() {
        Self.removeTree(base)
    }

    // MARK: - File system helpers

    static func makeDirectories(_ path: FilePath) throws {
        var current = FilePath(path.root?.string ?? "")
        for component in path.components {
            current.append(component)
            if mkdir(current.string, 0o755) != 0 && errno != EEXIST {
                throw Failure(description: "mkdir \(current): errno \(errno)")
            }
        }
    }

    static func makeParent(of path: FilePath) throws {
        var parent = path
        parent.removeLastComponent()
        try makeDirectories(parent)
    }

    static func writeFile(_ path: FilePath, bytes: [UInt8]) throws {
        try makeParent(of: path)
        let fd = try FileDescriptor.open(
            path, .writeOnly, options: [.create, .truncate, .closeOnExec],
            permissions: [.ownerReadWrite, .groupRead, .otherRead]
        )
        defer { try? fd.close() }
        _ = try fd.writeAll(bytes)
    }

    static func entries(of path: FilePath) throws -> [String] {
        guard let dir = opendir(path.string) else {
            throw Failure(description: "opendir \(path): errno \(errno)")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func readLink(_ path: FilePath) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path.string, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the bytes of a captured file stand for a symlink (see ``copy(of:adding:)``).
    static func placeholderTarget(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 3, bytes.count <= Int(PATH_MAX), bytes.starts(with: Array("../".utf8)),
              !bytes.contains(0x0A), !bytes.contains(0)
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Copies a directory tree (plain `String` paths and raw syscalls: this runs for hundreds of files).
    package static func copyTree(from source: FilePath, to destination: FilePath) throws {
        try makeDirectories(destination)
        try copyDirectory(from: source.string, to: destination.string)
    }

    private static func copyDirectory(from source: String, to destination: String) throws {
        for name in try entries(of: FilePath(source)) {
            let from = source + "/" + name
            let to = destination + "/" + name
            var st = stat()
            guard lstat(from, &st) == 0 else {
                throw Failure(description: "lstat \(from): errno \(errno)")
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                guard mkdir(to, 0o755) == 0 || errno == EEXIST else {
                    throw Failure(description: "mkdir \(to): errno \(errno)")
                }
                try copyDirectory(from: from, to: to)
            case S_IFLNK:
                guard let target = readLink(FilePath(from)), symlink(target, to) == 0 else {
                    throw Failure(description: "copy symlink \(from): errno \(errno)")
                }
            case S_IFREG:
                let bytes = try readSmallFile(from)
                if let target = placeholderTarget(bytes) {
                    guard symlink(target, to) == 0 else {
                        throw Failure(description: "symlink \(to): errno \(errno)")
                    }
                } else {
                    let fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    guard fd >= 0 else { throw Failure(description: "create \(to): errno \(errno)") }
                    defer { close(fd) }
                    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    guard written == bytes.count else { throw Failure(description: "write \(to): errno \(errno)") }
                }
            default:
                continue  // sockets, fifos, devices: not in captures
            }
        }
    }

    private static func readSmallFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "open \(path): errno \(errno)") }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n >= 0 else { throw Failure(description: "read \(path): errno \(errno)") }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    static func removeTree(_ path: FilePath) {
        var st = stat()
        guard lstat(path.string, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? entries(of: path)) ?? [] {
                removeTree(path.appending(name))
            }
            _ = rmdir(path.string)
        } else {
            _ = unlink(path.string)
        }
    }
}

/// Runs `body` with a fixture built from `entries`, deleting the tree afterwards.
package func withSysfsFixture<Result>(
    _ entries: [SysfsFixture.Entry], _ body: (SysfsFixture) throws -> Result
) throws -> Result {
    let fixture = try SysfsFixture(entries)
    defer { fixture.remove() }
    return try body(fixture)
}
