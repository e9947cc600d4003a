import USBIPWire

/// The options `usbip` takes before its command (C getopt string `"+dlt:"`): `-d/--debug`, `-l/--log`,
/// `-t/--tcp-port PORT`.
package struct GlobalOptions: Sendable, Equatable {
    /// Print debug messages (`-d`, `--debug`).
    package var debug = false
    /// Also send messages to syslog (`-l`, `--log`).
    package var log = false
    /// The TCP port for `list -r`, `attach`, `connect`, `disconnect` (`-t`, `--tcp-port`), default 3240.
    package var tcpPort: UInt16 = USBIPProtocol.defaultTCPPort
    /// The port exactly as typed (the C tool records it as typed in `/var/run/vhci_hcd/port<N>`).
    package var tcpPortText = String(USBIPProtocol.defaultTCPPort)
    /// Hidden, for tests: the directory that stands for /sys.
    package var sysfsRoot: String? = nil
    /// Hidden, for tests: where connection records are kept (default /var/run/vhci_hcd).
    package var recordDirectory: String? = nil
    /// Hidden, for tests: the usb.ids file.
    package var usbIDsPath: String? = nil
    /// Hidden, for tests: the libudev soname to load (a missing one checks the fall-back to reading /sys).
    package var libudevName: String? = nil

    /// Creates the defaults.
    package init() {}

    /// Why the leading options could not be parsed.
    package enum ParseError: Error, Equatable {
        /// An option the tool does not know (C: `usbip: invalid option`).
        case invalidOption(String)
        /// An option that needs a value was last.
        case missingValue(String)
        /// `--tcp-port` is not a number in 1…65535.
        case invalidPort(String)
    }

    /// Parses the options before the command, stopping at the first argument that is not an option (getopt `+`).
    /// Returns the options and the remaining arguments (command first).
    package static func parse(_ arguments: [String]) throws(ParseError) -> (GlobalOptions, [String]) {
        var options = GlobalOptions()
        var index = 0
        func takeValue(_ name: String, inline: String?) throws(ParseError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw .missingValue(name) }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                index += 1
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else { break }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                switch name {
                case "debug": options.debug = true
                case "log": options.log = true
                case "tcp-port": try options.setPort(try takeValue("--tcp-port", inline: inline))
                case "sysfs-root": options.sysfsRoot = try takeValue("--sysfs-root", inline: inline)
                case "record-dir": options.recordDirectory = try takeValue("--record-dir", inline: inline)
                case "usb-ids": options.usbIDsPath = try takeValue("--usb-ids", inline: inline)
                case "libudev": options.libudevName = try takeValue("--libudev", inline: inline)
                case "help", "version", "generate-completion-script": return (options, Array(arguments[index...]))
                default: throw .invalidOption(argument)
                }
            } else {
                // Short options may be bundled (`-dl`) and `-t` may carry its value (`-t3241`).
                var letters = Array(argument.dropFirst())
                while !letters.isEmpty {
                    let letter = letters.removeFirst()
                    switch letter {
                    case "d": options.debug = true
                    case "l": options.log = true
                    case "t":
                        let inline = letters.isEmpty ? nil : String(letters)
                        letters = []
                        try options.setPort(try takeValue("-t", inline: inline))
                    case "h": return (options, ["--help"] + arguments[(index + 1)...])
                    default: throw .invalidOption("-\(letter)")
                    }
                }
            }
            index += 1
        }
        return (options, Array(arguments[index...]))
    }

    private mutating func setPort(_ text: String) throws(ParseError) {
        guard let value = UInt16(text), value > 0 else { throw .invalidPort(text) }
        tcpPort = value
        tcpPortText = text
    }
}
