import SystemPackage
package import USBIPWire
package import USBIPSupport

// MARK: - Building a device from sysfs attribute text

extension USBDevice {
    /// Builds a device from its sysfs attribute text; the one parser both ``SysfsDeviceSource`` and
    /// ``UdevDeviceSource`` use, so the two produce identical values.
    ///
    /// - Parameters:
    ///   - busid: the device's sysfs name.
    ///   - syspath: `/sys/devices/...`; also the prefix of every path named in errors.
    ///   - devpath: `/devices/...`.
    ///   - driver: the name of the driver bound to the device, if any.
    ///   - childNames: names of the device's child nodes (or at least its interface nodes); those spelled
    ///     `<busid>:<bConfigurationValue>.<n>` are read as interfaces.
    ///   - attribute: the text of a device attribute (`idVendor`), `nil` when it does not exist; throws for other
    ///     read errors. Surrounding whitespace is ignored.
    ///   - interfaceAttribute: the same for an attribute of a child node (`("2-1:1.0", "bInterfaceClass")`).
    ///
    /// Required (a missing one throws ``USBIPError/sysfs(operation:path:errno:)`` with `ENOENT` and the path):
    /// `idVendor`, `idProduct`, `bcdDevice`, `bDeviceClass`, `bDeviceSubClass`, `bDeviceProtocol`,
    /// `bConfigurationValue`, `bNumConfigurations`, `bNumInterfaces`, `devnum`, and each interface node's
    /// `bInterfaceClass`, `bInterfaceSubClass`, `bInterfaceProtocol`. Optional: `busnum` (falls back to the bus id's
    /// first number, then 0), `speed` (`.unknown`), an interface's `bInterfaceNumber` (the number in the node
    /// name). Text that does not match the kernel's format throws ``USBIPError/malformedAttribute(path:value:)``.
    package init(
        busid: BusID,
        syspath: String,
        devpath: String,
        driver: String?,
        childNames: [String],
        attribute: (_ name: String) throws(USBIPError) -> String?,
        interfaceAttribute: (_ node: String, _ name: String) throws(USBIPError) -> String?
    ) throws(USBIPError) {
        let reader = AttributeReader(directory: syspath)

        func required<T>(_ name: String, _ parse: (String) -> T?) throws(USBIPError) -> T {
            try reader.parse(name, try attribute(name), parse)
        }

        let configurationValue = try required("bConfigurationValue", SysfsAttributeFormat.decimalOrEmpty)
        let busnum: UInt32
        if let text = try attribute("busnum") {
            busnum = try reader.parse("busnum", text) { SysfsAttributeFormat.decimal($0, as: UInt32.self) }
        } else {
            busnum = busid.busNumber ?? 0
        }

        var interfaces: [USBInterface] = []
        if configurationValue != 0 {
            let prefix = "\(busid.rawValue):\(configurationValue)."
            for node in childNames where node.hasPrefix(prefix) {
                guard let nodeNumber = SysfsAttributeFormat.decimal(String(node.dropFirst(prefix.count)), as: UInt8.self)
                else { continue }
                let nodeReader = AttributeReader(directory: syspath + "/" + node)
                func interfaceField(_ name: String) throws(USBIPError) -> UInt8 {
                    try nodeReader.parse(name, try interfaceAttribute(node, name), SysfsAttributeFormat.hex8)
                }
                let number: UInt8
                if let text = try interfaceAttribute(node, "bInterfaceNumber") {
                    number = try nodeReader.parse("bInterfaceNumber", text, SysfsAttributeFormat.hex8)
                } else {
                    number = nodeNumber
                }
                interfaces.append(
                    USBInterface(
                        number: number,
                        interfaceClass: try interfaceField("bInterfaceClass"),
                        interfaceSubClass: try interfaceField("bInterfaceSubClass"),
                        interfaceProtocol: try interfaceField("bInterfaceProtocol")
                    )
                )
            }
            interfaces.sort { $0.number < $1.number }
        }

        self.init(
            busid: busid,
            syspath: syspath,
            devpath: devpath,
            busnum: busnum,
            devnum: try required("devnum") { SysfsAttributeFormat.decimal($0, as: UInt32.self) },
            speed: try attribute("speed").map { USBSpeed(sysfsSpeed: $0.trimmingASCIIWhitespace()) } ?? .unknown,
            idVendor: try required("idVendor", SysfsAttributeFormat.hex16),
            idProduct: try required("idProduct", SysfsAttributeFormat.hex16),
            bcdDevice: try required("bcdDevice", SysfsAttributeFormat.hex16),
            deviceClass: try required("bDeviceClass", SysfsAttributeFormat.hex8),
            deviceSubClass: try required("bDeviceSubClass", SysfsAttributeFormat.hex8),
            deviceProtocol: try required("bDeviceProtocol", SysfsAttributeFormat.hex8),
            configurationValue: configurationValue,
            numConfigurations: try required("bNumConfigurations") { SysfsAttributeFormat.decimal($0, as: UInt8.self) },
            numInterfaces: try required("bNumInterfaces", SysfsAttributeFormat.decimalOrEmpty),
            interfaces: interfaces,
            driver: driver
        )
    }
}

/// Turns "missing" and "unparsable" into errors that name the attribute's kernel path.
private struct AttributeReader {
    let directory: String

    func parse<T>(_ name: String, _ text: String?, _ parse: (String) -> T?) throws(USBIPError) -> T {
        guard let text else {
            throw .sysfs(operation: "read", path: directory + "/" + name, errno: .noSuchFileOrDirectory)
        }
        guard let value = parse(text) else {
            throw .malformedAttribute(path: directory + "/" + name, value: text.trimmingASCIIWhitespace())
        }
        return value
    }
}
