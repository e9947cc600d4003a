/// What `usbip attach` remembers about an imported device, in `/var/run/vhci_hcd/port<N>`: the remote host as
/// typed, the TCP port, and the remote bus id. `usbip port` shows it as `usbip://<host>:<port>/<busid>`.
///
/// File format (mainline `libsrc/vhci_driver.c` / `src/usbip_attach.c:record_connection`): one line,
/// `"<host> <port> <busid>\n"`, fields separated by single spaces.
package struct ConnectionRecord: Sendable, Hashable {
    /// The longest host the C reader accepts (`NI_MAXHOST` − 1).
    package static let maxHostLength = 1024
    /// The longest port string the C reader accepts (`NI_MAXSERV` − 1).
    package static let maxPortLength = 31
    /// The longest bus id the C reader accepts (`SYSFS_BUS_ID_SIZE`).
    package static let maxBusIDLength = 32

    /// The remote host as the user typed it (name or address), or the peer's numeric address.
    package var host: String
    /// The TCP port string in use (default `3240`).
    package var port: String
    /// The remote device's bus id.
    package var busid: String

    /// A record of `busid` on `host`:`port`.
    package init(host: String, port: String, busid: String) {
        self.host = host
        self.port = port
        self.busid = busid
    }

    /// The file content: `"<host> <port> <busid>\n"`, byte for byte what the C tools write.
    package var line: String { "\(host) \(port) \(busid)\n" }

    /// Whether the C reader (`read_record`) would accept this record: every field non-empty, free of
    /// whitespace and within its length limit.
    package var isValid: Bool {
        Self.isField(host, maxLength: Self.maxHostLength)
            && Self.isField(port, maxLength: Self.maxPortLength)
            && Self.isField(busid, maxLength: Self.maxBusIDLength)
    }

    /// Parses the first line of a record file with the C reader's rules: three fields separated by single
    /// spaces, the last ended by `\n`, within the length limits; `nil` otherwise.
    package init?(parsing bytes: [UInt8]) {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let fields = bytes[..<newline].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        let host = String(decoding: fields[0], as: UTF8.self)
        let port = String(decoding: fields[1], as: UTF8.self)
        let busid = String(decoding: fields[2], as: UTF8.self)
        self.init(host: host, port: port, busid: busid)
        guard isValid else { return nil }
    }

    private static func isField(_ text: String, maxLength: Int) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= maxLength
            && bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}
