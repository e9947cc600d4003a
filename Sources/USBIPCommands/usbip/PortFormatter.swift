import USBIPKernel
import USBIPWire

/// One imported device as `usbip port` shows it: the vhci port line, the local device the kernel created
/// (for speed and names), and the connection record written at attach time.
struct ImportedPort {
    /// The vhci_hcd port line.
    var port: VHCIPort
    /// The local USB device on the vhci bus, when it exists yet.
    var localDevice: USBDevice?
    /// The record from `/var/run/vhci_hcd/port<N>`, when readable.
    var record: ConnectionRecord?
}

/// The byte-exact layout of the C `usbip port` (`src/usbip_port.c`, `libsrc/vhci_driver.c`).
enum PortFormatter {
    /// The header, then per port `"Port %02d: <%s> at %s\n"`, `"       %s\n"`, `"%10s -> usbip://%s:%s/%s\n"`,
    /// `"%10s -> remote bus/dev %03d/%03d\n"`.
    static func format(_ ports: [ImportedPort], names: USBIDs) -> String {
        var out = "Imported USB devices\n====================\n"
        for imported in ports {
            let p = imported.port
            let status = p.portStatus?.displayString ?? "Unknown Status"
            let speed = (imported.localDevice?.speed ?? p.speed).displayString
            out += "Port \(zeroPad(p.port, 2)): <\(status)> at \(speed)\n"
            let vendor = imported.localDevice?.idVendor ?? 0
            let product = imported.localDevice?.idProduct ?? 0
            out += "       \(names.productDescription(vendor: vendor, product: product))\n"
            let local = p.localBusID?.rawValue ?? "0-0"
            if let record = imported.record {
                out += pad(local, 10) + " -> usbip://\(record.host):\(record.port)/\(record.busid)\n"
            } else {
                out += pad(local, 10) + " -> unknown host, remote port and remote busid\n"
            }
            out += pad(" ", 10) + " -> remote bus/dev \(zeroPad(Int(p.devid.busnum), 3))/\(zeroPad(Int(p.devid.devnum), 3))\n"
        }
        return out
    }
}
