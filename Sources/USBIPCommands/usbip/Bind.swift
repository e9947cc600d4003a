import ArgumentParser

extension USBIPCommand {
    /// `usbip bind -b BUSID`: hand a local device to usbip-host so that usbipd can export it.
    struct Bind: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a local device to usbip-host.ko, making it exportable.",
            discussion: """
                The device's current driver is unbound first. On any failure the device is returned to \
                the driver it had.

                Example: usbip bind -b 1-2
                """)

        /// `-b/--busid`.
        @Option(name: [.customShort("b", allowingJoined: true), .long], help: "Bus id of the local device, e.g. 1-2.")
        var busid: String

        func run(context: CommandContext) throws {
            try context.requireRoot()
            let id = try BusIDArgument.parse(busid)
            let driver = HostDriver(sysfs: context.sysfs)
            try driver.bind(id, logger: context.logger)
            context.info("bind device on busid \(id): complete")
        }
    }

    /// `usbip unbind -b BUSID`: give a device back to its usual driver.
    struct Unbind: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Unbind a device from usbip-host.ko and return it to its usual driver.",
            discussion: "Example: usbip unbind -b 1-2")

        /// `-b/--busid`.
        @Option(name: [.customShort("b", allowingJoined: true), .long], help: "Bus id of the local device, e.g. 1-2.")
        var busid: String

        func run(context: CommandContext) throws {
            try context.requireRoot()
            let id = try BusIDArgument.parse(busid)
            let driver = HostDriver(sysfs: context.sysfs)
            try driver.unbind(id, logger: context.logger)
            context.info("unbind device on busid \(id): complete")
        }
    }
}

/// Turns a typed bus id into a ``BusID`` or a clear error.
enum BusIDArgument {
    static func parse(_ text: String) throws(USBIPError) -> BusID {
        guard let id = BusID(text) else { throw .invalidBusID(text) }
        return id
    }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import USBIPWire
import USBIPSupport
import USBIPKernel

extension CommandContext {
    /// Fails with `.notRoot` when a command that writes to sysfs runs unprivileged on the real /sys.
    func requireRoot() throws(USBIPError) {
        if options.sysfsRoot == nil && geteuid() != 0 { throw .notRoot }
    }
}
