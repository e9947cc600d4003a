import USBIPWire

/// `usbipd`'s options, parsed as C getopt_long does with `"46DdeP::t:hv"` (bundled short options, `-P` with an
/// optional *attached* argument, `--opt=value`), plus the keepalive long options and two hidden ones:
/// `--sysfs-root DIR` (tests) and `--daemon-child` (the re-executed `-D` child).
package struct DaemonOptions: Equatable {
    /// `-4` / `-6` (the last one given wins, as in C).
    package var family: ListenFamilyOption = .both
    /// `-e/--device`: export usbip-vudc gadgets instead of usbip-host devices.
    package var deviceMode = false
    /// `-D/--daemon`.
    package var daemonize = false
    /// `-d/--debug`.
    package var debug = false
    /// `-P[FILE]/--pid[=FILE]`: the pid file, only when given.
    package var pidFile: String? = nil
    /// `-t/--tcp-port`.
    package var port: UInt16 = USBIPProtocol.defaultTCPPort
    /// `-h/--help`.
    package var help = false
    /// `-v/--version`.
    package var version = false
    /// `--tcp-keepidle`, `--tcp-keepintvl`, `--tcp-keepcnt`.
    package var keepIdle: Int32? = nil
    package var keepInterval: Int32? = nil
    package var keepCount: Int32? = nil
    /// Hidden `--sysfs-root DIR`.
    package var sysfsRoot: String? = nil
    /// Hidden `--daemon-child`: report start-up on fd 3.
    package var daemonChild = false

    /// The defaults: both families, port 3240, no pid file, foreground.
    package init() {}

    /// The default pid file of mainline usbipd.
    static let defaultPIDFile = "/var/run/usbipd.pid"

    /// `-4`, `-6` or both.
    package enum ListenFamilyOption: Equatable { case both, ipv4, ipv6 }

    /// A usage error, printed as getopt does, then the help, exit 1.
    package enum ParseError: Error, Equatable {
        case invalidOption(Character)
        case unrecognized(String)
        case missingArgument(String)
        case unexpectedArgument(String)
        case invalidValue(option: String, value: String)
        case extraOperand(String)

        /// The getopt-style line of `usbipd`.
        package var message: String { message(program: "usbipd") }

        /// The getopt-style line, starting with the daemon's name.
        package func message(program: String) -> String {
            switch self {
            case .invalidOption(let c): return "\(program): invalid option -- '\(c)'"
            case .unrecognized(let o): return "\(program): unrecognized option '\(o)'"
            case .missingArgument(let o):
                return o.hasPrefix("--") ? "\(program): option '\(o)' requires an argument"
                    : "\(program): option requires an argument -- '\(o.dropFirst())'"
            case .unexpectedArgument(let o): return "\(program): option '\(o)' doesn't allow an argument"
            case .invalidValue(let o, let v): return "\(program): error: invalid value '\(v)' for \(o)"
            case .extraOperand(let o): return "\(program): error: unexpected argument '\(o)'"
            }
        }
    }

    private static func longFlag(_ name: String) -> WritableKeyPath<DaemonOptions, Bool>? {
        switch name {
        case "ipv4": return \.ipv4Flag
        case "ipv6": return \.ipv6Flag
        case "device": return \.deviceMode
        case "daemon": return \.daemonize
        case "debug": return \.debug
        case "help": return \.help
        case "version": return \.version
        case "daemon-child": return \.daemonChild
        default: return nil
        }
    }
    private static let longValued: Set<String> = ["tcp-port", "tcp-keepidle", "tcp-keepintvl", "tcp-keepcnt", "sysfs-root"]

    private var ipv4Flag: Bool {
        get { family == .ipv4 }
        set { if newValue { family = .ipv4 } }
    }
    private var ipv6Flag: Bool {
        get { family == .ipv6 }
        set { if newValue { family = .ipv6 } }
    }

    /// Parses the arguments (without the program name) of `program` (default `usbipd`): its default pid file,
    /// `-e/--device` only where the program has a device mode, the keepalive options only where it has them.
    package static func parse(_ arguments: [String], program: DaemonProgram = .usbipd) throws(ParseError) -> DaemonOptions {
        let defaultPIDFile = program.defaultPIDFile
        var options = DaemonOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                if index < arguments.count { throw .extraOperand(arguments[index]) }
                break
            }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name: String
                var value: String? = nil
                if let eq = body.firstIndex(of: "=") {
                    name = String(body[..<eq])
                    value = String(body[body.index(after: eq)...])
                } else {
                    name = String(body)
                }
                if name == "pid" {
                    options.pidFile = value ?? defaultPIDFile
                } else if name == "device" && !program.hasDeviceMode {
                    throw .unrecognized(argument)
                } else if name.hasPrefix("tcp-keep") && !program.hasKeepaliveOptions {
                    throw .unrecognized(argument)
                } else if let flag = longFlag(name) {
                    if value != nil { throw .unexpectedArgument("--" + name) }
                    options[keyPath: flag] = true
                } else if longValued.contains(name) {
                    if value == nil {
                        guard index < arguments.count else { throw .missingArgument("--" + name) }
                        value = arguments[index]
                        index += 1
                    }
                    try options.set(name, value ?? "")
                } else {
                    throw .unrecognized(argument)
                }
                continue
            }
            guard argument.hasPrefix("-"), argument.count > 1 else { throw .extraOperand(argument) }
            var rest = Substring(argument.dropFirst())
            while let c = rest.first {
                rest = rest.dropFirst()
                switch c {
                case "4": options.family = .ipv4
                case "6": options.family = .ipv6
                case "D": options.daemonize = true
                case "d": options.debug = true
                case "e":
                    guard program.hasDeviceMode else { throw .invalidOption(c) }
                    options.deviceMode = true
                case "h": options.help = true
                case "v": options.version = true
                case "P":
                    options.pidFile = rest.isEmpty ? defaultPIDFile : String(rest)
                    rest = ""
                case "t":
                    var value = String(rest)
                    rest = ""
                    if value.isEmpty {
                        guard index < arguments.count else { throw .missingArgument("-t") }
                        value = arguments[index]
                        index += 1
                    }
                    try options.set("tcp-port", value)
                default:
                    throw .invalidOption(c)
                }
            }
        }
        return options
    }

    private mutating func set(_ name: String, _ value: String) throws(ParseError) {
        switch name {
        case "tcp-port":
            guard let port = UInt16(value), port > 0 else { throw .invalidValue(option: "--tcp-port", value: value) }
            self.port = port
        case "sysfs-root":
            sysfsRoot = value
        default:
            guard let number = Int32(value), number > 0 else { throw .invalidValue(option: "--" + name, value: value) }
            switch name {
            case "tcp-keepidle": keepIdle = number
            case "tcp-keepintvl": keepInterval = number
            default: keepCount = number
            }
        }
    }
}
