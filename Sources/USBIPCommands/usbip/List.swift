import ArgumentParser
import USBIPSupport
import USBIPKernel
import USBIPOperations

extension USBIPCommand {
    /// `usbip list -l | -p -l | -r HOST | -d`: local devices, a remote host's exportable devices, or vUDC gadgets.
    struct List: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "List exportable or local USB devices.",
            discussion: """
                Examples:
                  usbip list -l              devices on this machine that can be bound
                  usbip list -p -l           the same, one 'busid=…#usbid=…#' line each (for scripts)
                  usbip list -r 10.0.0.5     devices 10.0.0.5 exports (its usbipd must be running)
                  usbip list -d              gadgets bound to the virtual UDC (usbip-vudc)
                """)

        /// `-p/--parsable`.
        @Flag(name: [.customShort("p"), .long], help: "Parsable list format (with -l or -d).")
        var parsable = false
        /// `-r/--remote`.
        @Option(name: [.customShort("r", allowingJoined: true), .long], help: "List the exportable USB devices on <host>.")
        var remote: String?
        /// `-l/--local`.
        @Flag(name: [.customShort("l"), .long], help: "List the local USB devices.")
        var local = false
        /// `-d/--device`.
        @Flag(name: [.customShort("d"), .long], help: "List the local USB gadgets bound to usbip-vudc.")
        var device = false

        func validate() throws {
            let chosen = (remote != nil ? 1 : 0) + (local ? 1 : 0) + (device ? 1 : 0)
            if chosen == 0 { throw ValidationError("give one of -l, -r HOST or -d") }
            if chosen > 1 { throw ValidationError("-l, -r and -d cannot be combined") }
        }

        func run(context: CommandContext) throws {
            let names = context.usbIDs()
            if let host = remote {
                let devices = try USBIPClient.listExported(
                    host: host, port: context.options.tcpPortText, logger: context.logger)
                if devices.isEmpty {
                    context.info("no exportable devices found on \(host)")
                    return
                }
                context.console.out(ListFormatter.remote(host: host, devices: devices, names: names))
            } else if local {
                let devices = try UdevOrSysfs.source(for: context).localListable()
                context.console.out(ListFormatter.local(devices, names: names, parsable: parsable))
            } else {
                let vudc = VUDCDriver(sysfs: context.sysfs)
                if try vudc.deviceNames().isEmpty { throw USBIPError.driverNotLoaded(.usbipVUDC) }
                let gadgets = try vudc.boundGadgets()
                context.console.out(ListFormatter.local(gadgets, names: names, parsable: parsable))
            }
        }
    }
}
