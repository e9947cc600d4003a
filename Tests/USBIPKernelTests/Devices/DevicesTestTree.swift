#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import USBIPKernel
import USBIPTestSupport

/// A failure while building a test tree.
struct DevicesTestTreeError: Error, CustomStringConvertible {
    var description: String
}

/// A temporary directory standing for `/sys`, for the device tests: either a copy of a captured tree or built
/// file by file. Removed when released.
///
/// The captured trees (Fixtures/sysfs-*) store every symlink as a regular file holding the link target
/// (`../../../devices/...`, no trailing newline); ``capture(_:)`` turns those back into real symlinks, which
/// `Sysfs.resolve` and `linkTargetName` need.
final class DevicesTestTree {
    /// The temporary directory (the one created by `mkdtemp`).
    let base: String
    /// The directory that stands for `/sys`.
    let root: String

    /// A sysfs rooted at ``root``.
    var sysfs: Sysfs { Sysfs(root: FilePath(root)) }

    /// An empty tree.
    init() throws {
        // /dev/shm (tmpfs) when there is one: copying a capture there takes ~20 ms instead of ~500 ms on disk.
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(directory)/usbip-devices-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw DevicesTestTreeError(description: "mkdtemp failed") }
        base = String(cString: made)
        root = base + "/sys"
        try DevicesTestTree.makeDirectory(root)
    }

    deinit { DevicesTestTree.removeTree(base) }

    /// A copy of `Fixtures/<name>/sys` with its link files turned into symlinks.
    static func capture(_ name: String) throws -> DevicesTestTree {
        let tree = try DevicesTestTree()
        try copyCapture(from: Fixtures.path(name + "/sys").string, to: tree.root)
        return tree
    }

    // MARK: - Building

    /// Writes `content` to `relative`, creating parent directories.
    func write(_ relative: String, _ content: String) throws {
        try writeBytes(relative, Array(content.utf8))
    }

    /// Writes raw bytes to `relative`, creating parent directories (replaces what was there).
    func writeBytes(_ relative: String, _ bytes: [UInt8]) throws {
        let path = root + "/" + relative
        try DevicesTestTree.makeDirectory(DevicesTestTree.parent(of: path))
        try DevicesTestTree.writeFile(path, bytes)
    }

    /// Creates a symlink at `relative` pointing to `target` (as given), creating parent directories.
    func symlink(_ relative: String, to target: String) throws {
        let path = root + "/" + relative
        try DevicesTestTree.makeDirectory(DevicesTestTree.parent(of: path))
        unlink(path)
        guard Glibc.symlink(target, path) == 0 else {
            throw DevicesTestTreeError(description: "symlink \(path): errno \(errno)")
        }
    }

    /// Removes the file at `relative`.
    func remove(_ relative: String) {
        unlink(root + "/" + relative)
    }

    /// Reads a file of the tree as text (untrimmed).
    func read(_ relative: String) throws -> String {
        try DevicesTestTree.readText(root + "/" + relative)
    }

    /// Adds a USB device directory `<parent>/<busid>` with the attributes a 6.1 kernel shows (overridable;
    /// `nil` values are left out), a `bus/usb/devices/<busid>` link and, when `driver` is set, a driver link.
    /// Returns the device's relative directory.
    @discardableResult
    func addDevice(
        _ busid: String,
        parent: String = "devices/pci0000:00/0000:00:14.0/usb1",
        driver: String? = "usb",
        _ overrides: [String: String?] = [:]
    ) throws -> String {
        let directory = parent + "/" + busid
        var attributes: [String: String?] = [
            "idVendor": "1234\n", "idProduct": "5678\n", "bcdDevice": "0100\n",
            "bDeviceClass": "00\n", "bDeviceSubClass": "00\n", "bDeviceProtocol": "00\n",
            "bConfigurationValue": "1\n", "bNumConfigurations": "1\n", "bNumInterfaces": " 1\n",
            "busnum": "1\n", "devnum": "2\n", "speed": "480\n",
        ]
        attributes.merge(overrides) { _, new in new }
        for (name, value) in attributes {
            if let value { try write(directory + "/" + name, value) }
        }
        try symlink("bus/usb/devices/" + busid, to: "../../../" + directory)
        if let driver {
            try symlink(directory + "/driver", to: "/sys/bus/usb/drivers/" + driver)
        }
        return directory
    }

    /// Adds an interface node `<device>/<node>` (`2-1:1.0`) with `%02X` fields and its `bus/usb/devices` link.
    func addInterface(
        _ node: String,
        of device: String,
        number: UInt8,
        class interfaceClass: UInt8 = 0x08,
        subclass: UInt8 = 0x06,
        protocol interfaceProtocol: UInt8 = 0x50,
        omit: Set<String> = []
    ) throws {
        let directory = device + "/" + node
        let fields: [(String, UInt8)] = [
            ("bInterfaceNumber", number), ("bInterfaceClass", interfaceClass),
            ("bInterfaceSubClass", subclass), ("bInterfaceProtocol", interfaceProtocol),
        ]
        for (name, value) in fields where !omit.contains(name) {
            try write(directory + "/" + name, DevicesTestTree.upperHex(value) + "\n")
        }
        try symlink("bus/usb/devices/" + node, to: "../../../" + directory)
    }

    /// `%02X`.
    static func upperHex(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return value < 0x10 ? "0" + digits : digits
    }

    // MARK: - File helpers

    /// Reads a whole file as text.
    static func readText(_ path: String) throws -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }

    /// Reads a whole file.
    static func readBytes(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DevicesTestTreeError(description: "open \(path): errno \(errno)") }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard n >= 0 else { throw DevicesTestTreeError(description: "read \(path): errno \(errno)") }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DevicesTestTreeError(description: "create \(path): errno \(errno)") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw DevicesTestTreeError(description: "write \(path): errno \(errno)") }
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    private static func makeDirectory(_ path: String) throws {
        var st = stat()
        if stat(path, &st) == 0 { return }
        try makeDirectory(parent(of: path))
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw DevicesTestTreeError(description: "mkdir \(path): errno \(errno)")
        }
    }

    private static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func isDirectoryNoFollow(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    private static func copyCapture(from source: String, to destination: String) throws {
        try SysfsFixture.copyTree(from: FilePath(source), to: FilePath(destination))
    }

    private static func removeTree(_ path: String) {
        if isDirectoryNoFollow(path) {
            for name in entries(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
