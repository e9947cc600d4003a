import SystemPackage
package import USBIPWire
package import USBIPSupport

/// The application-side kernel driver vhci_hcd: its port table and the `attach` / `detach` attributes of
/// controller 0 (`/sys/devices/platform/vhci_hcd.0`), through which imported devices are plugged in and out.
///
/// All control attributes exist only on the first controller: `nports`, `attach`, `detach`, `status`,
/// `status.1` … `status.(N-1)`.
package struct VHCIDriver: Sendable {
    /// Where controller 0 may live, in the order looked up: the platform bus (kernels ≥ 4.13), the faux bus
    /// (proposed 2025), and `vhci_hcd` without an instance number (4.9–4.12, platform id -1).
    package static let controllerLocations = [
        "devices/platform/vhci_hcd.0",
        "devices/faux/vhci_hcd.0",
        "devices/platform/vhci_hcd",
    ]

    /// The sysfs tree the driver lives in.
    package let sysfs: Sysfs
    /// The directory of controller 0, relative to the sysfs root (e.g. `devices/platform/vhci_hcd.0`).
    package let controllerPath: String
    /// How many vhci_hcd controllers exist (`vhci_hcd.*` siblings of controller 0), at least 1.
    package let controllerCount: Int

    /// Performs every attribute write (value, path relative to the root); tests replace it to inject errnos a
    /// fixture cannot produce (`EBUSY` from `attach`, `EINVAL` from `detach`).
    package var attributeWriter: @Sendable (_ value: String, _ relative: String) throws(USBIPError) -> Void

    /// Locates controller 0; throws `.driverNotLoaded(.vhciHCD)` when no location exists.
    package init(sysfs: Sysfs) throws(USBIPError) {
        guard let found = Self.controllerLocations.first(where: { sysfs.isDirectory($0) }) else {
            throw .driverNotLoaded(.vhciHCD)
        }
        self.sysfs = sysfs
        self.controllerPath = found
        let parent = found.split(separator: "/").dropLast().joined(separator: "/")
        let siblings = (try? sysfs.entries(of: parent)) ?? []
        let count = siblings.filter { $0 == "vhci_hcd" || $0.hasPrefix("vhci_hcd.") }.count
        self.controllerCount = max(count, 1)
        self.attributeWriter = { (value: String, relative: String) throws(USBIPError) in
            try sysfs.write(value, to: relative)
        }
    }

    /// The path of one of controller 0's attributes, relative to the sysfs root.
    package func attributePath(_ name: String) -> String { controllerPath + "/" + name }

    // MARK: - Reading

    /// The total number of ports over all controllers (sysfs `nports`, `"%d\n"`).
    package func nports() throws(USBIPError) -> Int {
        let relative = attributePath("nports")
        let text = try sysfs.readAttribute(relative)
        guard let value = SysfsAttributeFormat.decimal(text, as: UInt32.self) else {
            throw .malformedAttribute(path: sysfs.kernelPath(relative), value: text)
        }
        return Int(value)
    }

    /// Every port of every controller, read fresh from `status` and `status.1` … `status.(N-1)`.
    package func ports() throws(USBIPError) -> [VHCIPort] {
        var result: [VHCIPort] = []
        for controller in 0..<controllerCount {
            let relative = attributePath(controller == 0 ? "status" : "status.\(controller)")
            let bytes = try sysfs.readBytes(relative)
            let text = String(decoding: bytes, as: UTF8.self)
            result += try VHCIStatusParser.parse(text, source: sysfs.kernelPath(relative))
        }
        return result
    }

    /// The first free port that can take a device of `speed`: on the `ss` hub for SuperSpeed and
    /// SuperSpeedPlus (`speed >= USB_SPEED_SUPER`, where the kernel attaches them — the C tool sends
    /// SuperSpeedPlus to `hs`), on the `hs` hub otherwise; any free port in the legacy layout without hubs.
    package func freePort(for speed: USBSpeed) throws(USBIPError) -> Int {
        guard let port = Self.firstFreePort(in: try ports(), for: speed) else {
            throw .noFreePort(speed)
        }
        return port
    }

    /// The first port of `ports` that is free and on the hub that takes `speed`, skipping `excluded` numbers.
    package static func firstFreePort(
        in ports: [VHCIPort], for speed: USBSpeed, excluding excluded: Set<Int> = []
    ) -> Int? {
        let wantedHub: VHCIHub = speed.usesSuperSpeedHub ? .super : .high
        return ports.first { port in
            port.isFree && !excluded.contains(port.port) && (port.hub == nil || port.hub == wantedHub)
        }?.port
    }

    // MARK: - Writing

    /// The exact bytes written to `attach`: `"%u %d %u %u"`, port sockfd devid speed, all decimal, full 32-bit
    /// devid and port (the C tools truncate both to 8 bits).
    package static func attachCommand(port: Int, socket fd: Int32, devid: DevID, speed: USBSpeed) -> String {
        "\(port) \(fd) \(devid.rawValue) \(speed.rawValue)"
    }

    /// Plugs the device behind the connected TCP socket `fd` into `port` (sysfs `attach`). The kernel takes its
    /// own reference to the socket: close `fd` afterwards, never `shutdown()` it. `EBUSY` means the port was
    /// taken meanwhile; see ``attachToFreePort(socket:devid:speed:maxAttempts:)``.
    package func attach(port: Int, socket fd: Int32, devid: DevID, speed: USBSpeed) throws(USBIPError) {
        guard port >= 0, port <= Int(UInt32.max) else {
            throw .portOutOfRange(port: port, nports: (try? nports()) ?? 0)
        }
        let command = Self.attachCommand(port: port, socket: fd, devid: devid, speed: speed)
        try attributeWriter(command, attributePath("attach"))
    }

    /// Chooses a free port for `speed` and attaches to it; when the kernel answers `EBUSY` (another attach
    /// won the race), re-reads the port table and tries the next free port, never the same one twice.
    /// Returns the port used. Throws `.noFreePort(speed)` when no untried free port is left, the last `EBUSY`
    /// error after `maxAttempts` tries, and any other error at once.
    package func attachToFreePort(
        socket fd: Int32, devid: DevID, speed: USBSpeed, maxAttempts: Int = 64
    ) throws(USBIPError) -> Int {
        var tried: Set<Int> = []
        var lastError: USBIPError?
        for _ in 0..<max(maxAttempts, 1) {
            guard let port = Self.firstFreePort(in: try ports(), for: speed, excluding: tried) else {
                throw .noFreePort(speed)
            }
            do {
                try attach(port: port, socket: fd, devid: devid, speed: speed)
                return port
            } catch {
                guard error.sysfsErrno == .resourceBusy else { throw error }
                tried.insert(port)
                lastError = error
            }
        }
        throw lastError ?? .noFreePort(speed)
    }

    /// Unplugs the device on `port` (sysfs `detach`, `"%u"`). The kernel shuts the connection down
    /// asynchronously. Its `EINVAL` is turned into `.portOutOfRange` or `.portNotInUse` after a look at the
    /// port table.
    package func detach(port: Int) throws(USBIPError) {
        guard port >= 0, port <= Int(UInt32.max) else {
            throw .portOutOfRange(port: port, nports: (try? nports()) ?? 0)
        }
        do {
            try attributeWriter("\(port)", attributePath("detach"))
        } catch {
            guard error.sysfsErrno == .invalidArgument else { throw error }
            guard let table = try? ports() else { throw error }
            guard let entry = table.first(where: { $0.port == port }) else {
                throw .portOutOfRange(port: port, nports: (try? nports()) ?? table.count)
            }
            if entry.isFree { throw .portNotInUse(port: port) }
            throw error
        }
    }
}
