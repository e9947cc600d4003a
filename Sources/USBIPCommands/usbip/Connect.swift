import ArgumentParser
import Logging
import USBIPOperations

extension USBIPCommand {
    /// `usbip connect -r HOST -b BUSID [-d]` (usbip-next): export a local device to `usbipa` on HOST.
    struct Connect: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect a USB device to a remote computer.",
            discussion: """
                The reverse of attach: binds the local device to usbip-host (unless -d, or unless it is \
                already bound there), offers it to usbipa on HOST, which plugs it into a free vhci_hcd port, \
                and hands the connection to the kernel. On any failure a device bound here is returned to its \
                driver.

                Examples:
                  usbip connect -r 10.0.0.5 -b 1-2
                  usbip connect -r 10.0.0.5 -b usbip-vudc.0 -d   (a gadget on the virtual UDC)
                """)

        /// `-r`, `-b`, `-d`, `--timeout`.
        @OptionGroup var target: ExportTargetOptions

        func run(context: CommandContext) throws {
            try context.requireRoot()
            let id = try BusIDArgument.parse(target.busid)
            let result = try RemoteExport.connect(
                host: target.remote, port: context.options.tcpPortText, busid: id, vudc: target.device,
                sysfs: context.sysfs, timeout: target.timeout, logger: context.logger)
            if result.boundHere { context.info("bind device on busid \(id): complete") }
            context.logger.debug("connected \(id) to \(target.remote):\(context.options.tcpPortText)")
        }
    }

    /// `usbip disconnect -r HOST -b BUSID [-d]` (usbip-next): withdraw a device from `usbipa` on HOST.
    struct Disconnect: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Disconnect a USB device from a remote computer.",
            discussion: """
                Asks usbipa on HOST to unplug the device it received from this machine (it matches this \
                machine's address and the bus id), then returns the device to its driver (unless -d).

                Example: usbip disconnect -r 10.0.0.5 -b 1-2
                """)

        /// `-r`, `-b`, `-d`, `--timeout`.
        @OptionGroup var target: ExportTargetOptions

        func run(context: CommandContext) throws {
            try context.requireRoot()
            let id = try BusIDArgument.parse(target.busid)
            try RemoteExport.disconnect(
                host: target.remote, port: context.options.tcpPortText, busid: id, vudc: target.device,
                sysfs: context.sysfs, timeout: target.timeout, logger: context.logger)
            if !target.device { context.info("unbind device on busid \(id): complete") }
        }
    }
}

/// The options `connect` and `disconnect` share (usbip-next's `-r HOST -b BUSID [-d]`, plus `--timeout`).
struct ExportTargetOptions: ParsableArguments {
    /// `-r/--remote`.
    @Option(name: [.customShort("r", allowingJoined: true), .long], help: "Address of the remote computer running usbipa.")
    var remote: String
    /// `-b/--busid`.
    @Option(name: [.customShort("b", allowingJoined: true), .long], help: "Bus ID of the local device.")
    var busid: String
    /// `-d/--device` (a flag here, unlike `attach -d`).
    @Flag(name: [.customShort("d"), .long], help: "Run with an alternate driver, e.g. vUDC.")
    var device = false
    /// Connection timeout.
    @Option(help: "Seconds to wait for the connection and the reply.")
    var timeout: Int = 10

    func validate() throws {
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }
}
