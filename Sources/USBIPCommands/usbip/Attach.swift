import ArgumentParser
import Logging
import SystemPackage
import USBIPSupport
import USBIPKernel
import USBIPOperations
import USBIPWire

extension USBIPCommand {
    /// `usbip attach -r HOST -b BUSID | -d DEVID`: import a remote device onto a local vhci_hcd port.
    struct Attach: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a remote USB device.",
            discussion: """
                Asks usbipd on HOST for the device and plugs it into a free vhci_hcd port (needs the \
                vhci-hcd module). The connection attempt gives up after --timeout seconds. On any failure \
                nothing is left behind: no vhci port in use, no record file.

                Examples:
                  usbip attach -r 10.0.0.5 -b 1-2
                  usbip attach -r 10.0.0.5 -d usbip-vudc.0   (a gadget exported with usbipd -e)
                """)

        /// `-r/--remote`.
        @Option(name: [.customShort("r", allowingJoined: true), .long], help: "The machine with exported USB devices.")
        var remote: String
        /// `-b/--busid`.
        @Option(name: [.customShort("b", allowingJoined: true), .long], help: "Bus id of the device on <host>.")
        var busid: String?
        /// `-d/--device`.
        @Option(name: [.customShort("d", allowingJoined: true), .long], help: "Id of the virtual UDC on <host>.")
        var device: String?
        /// Connection timeout.
        @Option(help: "Seconds to wait for the connection and each reply.")
        var timeout: Int = 10

        func validate() throws {
            if busid == nil && device == nil { throw ValidationError("give the device with -b BUSID or -d DEVID") }
            if busid != nil && device != nil { throw ValidationError("-b and -d cannot be combined") }
            if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        }

        func run(context: CommandContext) throws {
            try context.requireRoot()
            let id = try BusIDArgument.parse(busid ?? device ?? "")
            let result = try RemoteImport.attach(
                host: remote, port: context.options.tcpPortText, busid: id, sysfs: context.sysfs,
                records: context.recordStore, timeout: timeout, logger: context.logger)
            context.logger.debug("attached \(id) from \(remote):\(context.options.tcpPortText) to port \(result.port)")
        }
    }

    /// `usbip detach -p PORT`: unplug an imported device.
    struct Detach: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Detach a remote USB device.",
            discussion: "The port number is the one 'usbip port' shows. Example: usbip detach -p 0")

        /// `-p/--port`.
        @Option(name: [.customShort("p", allowingJoined: true), .long], help: "vhci_hcd port the device is on.")
        var port: String

        func run(context: CommandContext) throws {
            try context.requireRoot()
            guard !port.isEmpty, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(port) else {
                throw USBIPError.other("invalid port \(port): expected a port number as 'usbip port' shows it")
            }
            try RemoteImport.detach(port: number, sysfs: context.sysfs, records: context.recordStore, logger: context.logger)
            context.info("Port \(number) is now detached!\n")
        }
    }

    /// `usbip port`: list imported devices.
    struct Port: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(abstract: "Show imported USB devices.")

        func run(context: CommandContext) throws {
            let vhci = try VHCIDriver(sysfs: context.sysfs)
            let source = SysfsDeviceSource(sysfs: context.sysfs)
            let store = context.recordStore
            var imported: [ImportedPort] = []
            for port in try vhci.ports() where port.portStatus != .free && port.portStatus != .notAssigned {
                let local = port.localBusID.flatMap { try? source.device($0) }
                let record: ConnectionRecord?
                do {
                    record = try store.read(port: port.port)
                } catch {
                    context.logger.error("\(error)")
                    record = nil
                }
                imported.append(ImportedPort(port: port, localDevice: local, record: record))
            }
            context.console.out(PortFormatter.format(imported, names: context.usbIDs()))
        }
    }
}

extension CommandContext {
    /// Where connection records live (`/var/run/vhci_hcd`, or `--record-dir` in tests).
    var recordStore: ConnectionRecordStore {
        ConnectionRecordStore(directory: .init(options.recordDirectory ?? "/var/run/vhci_hcd"))
    }

    /// The usb.ids names (`--usb-ids` in tests).
    func usbIDs() -> USBIDs {
        if let path = options.usbIDsPath { return USBIDs(searchPaths: [path]) }
        return USBIDs()
    }
}

/// Picks the device source: libudev on the real /sys (as the C tools), the sysfs walker on a test root, or when
/// libudev cannot be loaded (both give the same devices: Tests/System/10-core-reads.sh compares them).
enum UdevOrSysfs {
    static func source(for context: CommandContext) -> any DeviceSource {
        guard context.options.sysfsRoot == nil else { return SysfsDeviceSource(sysfs: context.sysfs) }
        do {
            try UdevDeviceSource.load(libraryName: context.options.libudevName ?? UdevDeviceSource.libraryName)
            return UdevDeviceSource()
        } catch {
            context.logger.debug("\(error); reading /sys directly")
            return SysfsDeviceSource(sysfs: context.sysfs)
        }
    }
}
