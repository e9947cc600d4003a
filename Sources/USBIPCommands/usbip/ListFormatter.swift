import USBIPWire
import USBIPKernel

/// The byte-exact layouts of the C `usbip list` (mainline 6.1, `src/usbip_list.c`).
enum ListFormatter {
    /// `list -l` / `list -d`: `" - busid %s (%04x:%04x)\n"`, `"   %s\n"` (product), a blank line;
    /// `-p`: `"busid=%s#usbid=%04x:%04x#\n"`.
    static func local(_ devices: [USBDevice], names: USBIDs, parsable: Bool) -> String {
        var out = ""
        for device in devices {
            let ids = "\(Hex.digits(device.idVendor, width: 4)):\(Hex.digits(device.idProduct, width: 4))"
            if parsable {
                out += "busid=\(device.busid)#usbid=\(ids)#\n"
            } else {
                out += " - busid \(device.busid) (\(ids))\n"
                out += "   \(names.productDescription(vendor: device.idVendor, product: device.idProduct))\n"
                out += "\n"
            }
        }
        return out
    }

    /// `list -r HOST`: a header, `" - HOST"`, then per device `"%11s: %s\n"` lines for bus id + product, path,
    /// class, one `"%11s: %2d - %s\n"` line per interface, and a blank line.
    static func remote(host: String, devices: [ExportedDevice], names: USBIDs) -> String {
        var out = "Exportable USB devices\n======================\n - \(host)\n"
        for device in devices {
            let r = device.record
            out += pad(r.busid.rawValue, 11) + ": " + names.productDescription(vendor: r.idVendor, product: r.idProduct) + "\n"
            out += pad("", 11) + ": " + r.path + "\n"
            out += pad("", 11) + ": "
                + names.classDescription(class: r.bDeviceClass, subclass: r.bDeviceSubClass, protocol: r.bDeviceProtocol)
                + "\n"
            for (index, interface) in device.interfaces.enumerated() {
                out += pad("", 11) + ": " + pad(String(index), 2) + " - "
                    + names.classDescription(
                        class: interface.bInterfaceClass, subclass: interface.bInterfaceSubClass,
                        protocol: interface.bInterfaceProtocol)
                    + "\n"
            }
            out += "\n"
        }
        return out
    }
}

/// Right-aligns `text` in `width` columns (`%Ns`); longer text is kept whole, as printf does.
func pad(_ text: String, _ width: Int) -> String {
    let count = text.utf8.count
    return count >= width ? text : String(repeating: " ", count: width - count) + text
}

/// Zero-pads a decimal number to `width` digits (`%0Nd`).
func zeroPad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
