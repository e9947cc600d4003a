import USBIPWire
package import USBIPSupport
/// Parses the text of vhci_hcd's `status` / `status.N` attributes into ports, for every layout a kernel has
/// printed:
///
/// * current (≥ 4.13, with the late-2017 fd fix), header `hub port sta spd dev      sockfd local_busid`:
///   `hs  0000 004 000 00000000 000000 0-0` / `ss  0015 006 005 00020002 000003 4-1`;
/// * a controller whose HCD is not ready: status `005` and a 16-zero sockfd,
///   `hs  0000 005 000 00000000 0000000000000000 0-0`;
/// * transitional 4.13–4.14 kernels: the same layout with a kernel pointer in the `sockfd` column;
/// * legacy (< 4.13, and usbip-next's driver copy), header `port sta spd dev      socket           local_busid`:
///   `0000 006 003 00010002 ffff880036b2d000 1-1` (no `hub` column, pointer instead of fd).
///
/// The `sockfd`/`socket` column is kept as an opaque token. Header lines (first word `hub` or `port`) and blank
/// lines are skipped, so concatenated files parse too. Unlike the C parser, a short or garbled line is an error,
/// never a crash or a silently half-filled port.
package enum VHCIStatusParser {
    /// Parses one or more `status` texts; `source` names the file in error messages.
    package static func parse(
        _ text: String, source: String = "/sys/devices/platform/vhci_hcd.0/status"
    ) throws(USBIPError) -> [VHCIPort] {
        var ports: [VHCIPort] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let first = fields.first else { continue }
            if first == "hub" || first == "port" { continue }  // header of either layout
            guard let port = parseLine(fields) else {
                throw .malformedAttribute(path: source, value: line)
            }
            ports.append(port)
        }
        return ports
    }

    /// Parses the words of one port line, with or without the `hub` column; `nil` when they do not fit.
    static func parseLine(_ fields: [String]) -> VHCIPort? {
        var rest = fields[...]
        var hub: VHCIHub?
        if let first = rest.first, let parsedHub = VHCIHub(rawValue: first) {
            hub = parsedHub
            rest = rest.dropFirst()
        }
        // port sta spd dev sockfd local_busid
        guard rest.count == 6 else { return nil }
        let columns = Array(rest)
        guard let port = SysfsAttributeFormat.decimal(columns[0], as: UInt32.self),
              let status = SysfsAttributeFormat.decimal(columns[1], as: UInt32.self),
              let speedValue = SysfsAttributeFormat.decimal(columns[2], as: UInt32.self),
              let devid = SysfsAttributeFormat.hex32(columns[3])
        else { return nil }
        let token = columns[4]
        let localBusID: BusID?
        if columns[5] == "0-0" {
            localBusID = nil
        } else {
            guard let busid = BusID(columns[5]) else { return nil }
            localBusID = busid
        }
        return VHCIPort(
            hub: hub,
            port: Int(port),
            status: status,
            speed: USBSpeed(rawValue: speedValue) ?? .unknown,
            devid: DevID(rawValue: devid),
            socketToken: token,
            localBusID: localBusID
        )
    }
}
