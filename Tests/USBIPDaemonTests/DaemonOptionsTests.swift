import Testing
import USBIPDaemon

/// The daemons' option parser against C getopt_long with `"46DdeP::t:hv"` (usbipa: no `e`): bundled short
/// options, `-P` with an optional attached argument, `--opt=value`, the getopt-style errors, `-e/--device` only
/// for usbipd, and usbipd's keepalive long options.
@Suite struct DaemonOptionsTests {
    static func parse(_ arguments: [String], _ program: DaemonProgram = .usbipd) throws(DaemonOptions.ParseError)
        -> DaemonOptions
    {
        try DaemonOptions.parse(arguments, program: program)
    }

    /// The options `changes` makes of the defaults.
    static func options(_ changes: (inout DaemonOptions) -> Void) -> DaemonOptions {
        var options = DaemonOptions()
        changes(&options)
        return options
    }

    @Test func noArgumentsGiveTheDefaults() throws {
        let options = try Self.parse([])
        #expect(options == DaemonOptions())
        #expect(options.port == 3240 && options.family == .both && options.pidFile == nil)
        #expect(!options.daemonize && !options.debug && !options.deviceMode && !options.help && !options.version)
    }

    @Test func bundledShortOptions() throws {
        #expect(try Self.parse(["-4dD"]) == Self.options { $0.family = .ipv4; $0.debug = true; $0.daemonize = true })
        // The last of -4 and -6 wins, as in C.
        #expect(try Self.parse(["-46"]) == Self.options { $0.family = .ipv6 })
        #expect(try Self.parse(["-6", "-4"]) == Self.options { $0.family = .ipv4 })
        #expect(try Self.parse(["-de"]) == Self.options { $0.debug = true; $0.deviceMode = true })
        // An option with an argument ends the bundle and takes the rest of it, or the next word.
        #expect(try Self.parse(["-dt3241"]) == Self.options { $0.debug = true; $0.port = 3241 })
        #expect(try Self.parse(["-dt", "3241", "-D"]) == Self.options { $0.debug = true; $0.port = 3241; $0.daemonize = true })
        #expect(try Self.parse(["-Dhv"]) == Self.options { $0.daemonize = true; $0.help = true; $0.version = true })
    }

    @Test func pidFileArgumentIsOptionalAndAttached() throws {
        #expect(try Self.parse(["-P"]).pidFile == "/var/run/usbipd.pid")
        #expect(try Self.parse(["-P/run/x.pid"]).pidFile == "/run/x.pid")
        #expect(try Self.parse(["-dP/run/x.pid"]) == Self.options { $0.debug = true; $0.pidFile = "/run/x.pid" })
        // Everything after P belongs to its argument, letters included.
        #expect(try Self.parse(["-Pd"]) == Self.options { $0.pidFile = "d" })
        #expect(try Self.parse(["--pid"]).pidFile == "/var/run/usbipd.pid")
        #expect(try Self.parse(["--pid=/run/y.pid"]).pidFile == "/run/y.pid")
        #expect(try Self.parse(["-P"], .usbipa).pidFile == "/var/run/usbipa.pid")
        #expect(try Self.parse(["--pid"], .usbipa).pidFile == "/var/run/usbipa.pid")
        // A separate word is not the argument (C would ignore it and use the default): refused.
        #expect(throws: DaemonOptions.ParseError.extraOperand("/run/x.pid")) { try Self.parse(["-P", "/run/x.pid"]) }
        #expect(throws: DaemonOptions.ParseError.extraOperand("/run/x.pid")) { try Self.parse(["--pid", "/run/x.pid"]) }
    }

    @Test func longOptionsWithValues() throws {
        #expect(try Self.parse(["--tcp-port=3250"]).port == 3250)
        #expect(try Self.parse(["--tcp-port", "3251"]).port == 3251)
        #expect(
            try Self.parse(["--ipv4", "--daemon", "--debug", "--device", "--help", "--version"])
                == Self.options {
                    $0.family = .ipv4; $0.daemonize = true; $0.debug = true; $0.deviceMode = true
                    $0.help = true; $0.version = true
                })
        #expect(try Self.parse(["--ipv6"]).family == .ipv6)
        #expect(try Self.parse(["--sysfs-root=/tmp/sys"]).sysfsRoot == "/tmp/sys")
        #expect(try Self.parse(["--sysfs-root", "/tmp/sys"]).sysfsRoot == "/tmp/sys")
        #expect(try Self.parse(["--daemon-child"]).daemonChild)
    }

    @Test func keepaliveOptions() throws {
        let options = try Self.parse(["--tcp-keepidle", "30", "--tcp-keepintvl=5", "--tcp-keepcnt", "3"])
        #expect(options == Self.options { $0.keepIdle = 30; $0.keepInterval = 5; $0.keepCount = 3 })
        for value in ["0", "-1", "x", "", "2147483648"] {
            #expect(throws: DaemonOptions.ParseError.invalidValue(option: "--tcp-keepidle", value: value)) {
                try Self.parse(["--tcp-keepidle=" + value])
            }
        }
        #expect(throws: DaemonOptions.ParseError.missingArgument("--tcp-keepcnt")) { try Self.parse(["--tcp-keepcnt"]) }
        // usbipa serves no imported connection: it has no keepalive options.
        #expect(throws: DaemonOptions.ParseError.unrecognized("--tcp-keepidle=30")) {
            try Self.parse(["--tcp-keepidle=30"], .usbipa)
        }
        #expect(throws: DaemonOptions.ParseError.unrecognized("--tcp-keepcnt")) {
            try Self.parse(["--tcp-keepcnt", "3"], .usbipa)
        }
    }

    @Test func deviceModeIsUsbipdsOnly() throws {
        #expect(try Self.parse(["-e"]).deviceMode)
        #expect(throws: DaemonOptions.ParseError.invalidOption("e")) { try Self.parse(["-e"], .usbipa) }
        #expect(throws: DaemonOptions.ParseError.invalidOption("e")) { try Self.parse(["-de"], .usbipa) }
        #expect(throws: DaemonOptions.ParseError.unrecognized("--device")) { try Self.parse(["--device"], .usbipa) }
        #expect(try Self.parse(["-4dDP/run/a.pid", "-t3241"], .usbipa)
            == Self.options { $0.family = .ipv4; $0.debug = true; $0.daemonize = true; $0.pidFile = "/run/a.pid"; $0.port = 3241 })
    }

    @Test(arguments: [
        (["-x"], DaemonOptions.ParseError.invalidOption("x")),
        (["-4x"], .invalidOption("x")),
        (["--bogus"], .unrecognized("--bogus")),
        (["--bogus=1"], .unrecognized("--bogus=1")),
        (["-t"], .missingArgument("-t")),
        (["-4t"], .missingArgument("-t")),
        (["--tcp-port"], .missingArgument("--tcp-port")),
        (["--debug=1"], .unexpectedArgument("--debug")),
        (["--tcp-port=0"], .invalidValue(option: "--tcp-port", value: "0")),
        (["-t", "65536"], .invalidValue(option: "--tcp-port", value: "65536")),
        (["-tabc"], .invalidValue(option: "--tcp-port", value: "abc")),
        (["extra"], .extraOperand("extra")),
        (["-"], .extraOperand("-")),
        (["--", "x"], .extraOperand("x")),
    ])
    func usageErrors(_ arguments: [String], _ expected: DaemonOptions.ParseError) {
        #expect(throws: expected) { try Self.parse(arguments) }
    }

    @Test func aLoneDoubleDashEndsTheOptions() throws {
        #expect(try Self.parse(["-d", "--"]) == Self.options { $0.debug = true })
    }

    @Test(arguments: [
        (DaemonOptions.ParseError.invalidOption("x"), "usbipd: invalid option -- 'x'"),
        (.unrecognized("--bogus"), "usbipd: unrecognized option '--bogus'"),
        (.missingArgument("-t"), "usbipd: option requires an argument -- 't'"),
        (.missingArgument("--tcp-port"), "usbipd: option '--tcp-port' requires an argument"),
        (.unexpectedArgument("--debug"), "usbipd: option '--debug' doesn't allow an argument"),
        (.invalidValue(option: "--tcp-port", value: "0"), "usbipd: error: invalid value '0' for --tcp-port"),
        (.extraOperand("x"), "usbipd: error: unexpected argument 'x'"),
    ])
    func usageErrorsAreWordedAsGetoptWordsThem(_ error: DaemonOptions.ParseError, _ line: String) {
        #expect(error.message(program: "usbipd") == line)
        #expect(error.message(program: "usbipa") == "usbipa" + line.dropFirst("usbipd".count))
    }
}
