/// One USB device as the kernel shows it, written by Tests/System/lib.sh's `usb_snapshot` with `cat` (the
/// independent view the library's reads are compared with): `busid=2-1 idVendor=46f4 … if0=08/06/50`.
struct SnapshotDevice: Equatable {
    /// The device's busid (`2-1`).
    var busid: String
    /// `attribute name → value` as `cat` printed it, spaces removed (`bNumInterfaces` is `%2d`).
    var attributes: [String: String]
    /// Interface number → `Class/SubClass/Protocol` (two hex digits each) of the active configuration.
    var interfaces: [Int: String]

    /// Parses one `usb_snapshot` line.
    init(line: String) throws {
        var busid: String?
        var attributes: [String: String] = [:]
        var interfaces: [Int: String] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw SystemTestError.malformedInput(file: "snapshot", line: line) }
            let key = String(parts[0])
            let value = String(parts[1])
            if key == "busid" {
                busid = value
            } else if key.hasPrefix("if"), let number = Int(key.dropFirst(2)) {
                interfaces[number] = value
            } else {
                attributes[key] = value
            }
        }
        guard let busid else { throw SystemTestError.malformedInput(file: "snapshot", line: line) }
        self.busid = busid
        self.attributes = attributes
        self.interfaces = interfaces
    }

    /// All devices of the file `USBIP_SYSTEM_SNAPSHOT` names.
    static func load() throws -> [SnapshotDevice] {
        try SystemTestEnvironment.file("USBIP_SYSTEM_SNAPSHOT")
            .split(separator: "\n")
            .map { try SnapshotDevice(line: String($0)) }
    }
}

/// One line of Debian's `usbip list -p -l` (`busid=2-1#usbid=46f4:0001#`), from the file `USBIP_SYSTEM_DEBIAN_LIST`.
struct DebianListEntry: Equatable {
    /// The busid field.
    var busid: String
    /// The `vendor:product` field (`%04x:%04x`).
    var usbid: String

    /// All entries of Debian's output; throws on a line of another shape.
    static func load() throws -> [DebianListEntry] {
        try SystemTestEnvironment.file("USBIP_SYSTEM_DEBIAN_LIST")
            .split(separator: "\n")
            .map { line in
                let fields = line.split(separator: "#").map { $0.split(separator: "=", maxSplits: 1) }
                guard fields.count == 2, fields.allSatisfy({ $0.count == 2 }),
                      fields[0][0] == "busid", fields[1][0] == "usbid"
                else { throw SystemTestError.malformedInput(file: "usbip list -p -l", line: String(line)) }
                return DebianListEntry(busid: String(fields[0][1]), usbid: String(fields[1][1]))
            }
    }
}
