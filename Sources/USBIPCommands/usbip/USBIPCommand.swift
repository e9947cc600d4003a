package import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging
import USBIPSupport

/// `usbip`: attach, detach, list, bind, unbind, port, connect, disconnect — a drop-in for Debian's C `usbip`.
package struct USBIPCommand: ParsableCommand {
    /// The command tree ArgumentParser uses for `--help` and shell completions.
    package static let configuration = CommandConfiguration(
        commandName: "usbip",
        abstract: "Share USB devices over TCP/IP (USB/IP).",
        discussion: """
            On the machine with the device:  usbip bind -b 1-2   (and run usbipd)
            On the machine that uses it:     usbip attach -r HOST -b 1-2

            Global options go before the command: -d/--debug, -l/--log (syslog), -t/--tcp-port PORT.
            See 'usbip help' for the classic command list and usbip(8) for details.
            """,
        version: USBIPCommand.versionText,
        subcommands: [
            Attach.self, Detach.self, Connect.self, Disconnect.self, List.self, Bind.self, Unbind.self, Port.self,
            Version.self, Help.self,
        ],
        helpNames: [.long, .short]
    )

    /// The version line of the C tools, kept for scripts.
    package static let versionText = "usbip (usbip-utils 2.0)"

    // The global options (-d/--debug, -l/--log, -t/--tcp-port) are parsed by ``GlobalOptions`` before the
    // command name, as C getopt "+dlt:" does; declaring them here would make ArgumentParser take the
    // subcommands' own -d and -l (list -d, attach -d) for them.

    /// Creates the command (ArgumentParser).
    package init() {}

    /// Runs the tool with the process's arguments and exits with its status.
    package static func main() {
        let status = run(arguments: Array(CommandLine.arguments.dropFirst()))
        Console.shared.flush()
        Glibc.exit(status)
    }

    /// Runs the tool and returns its exit status: 0 on success, 1 on any failure (as the C tool).
    package static func run(arguments: [String]) -> Int32 {
        let console = Console.shared
        let options: GlobalOptions
        let rest: [String]
        do throws(GlobalOptions.ParseError) {
            (options, rest) = try GlobalOptions.parse(arguments)
        } catch {
            switch error {
            case .invalidOption(let option):
                console.err("usbip: error: invalid option '\(option)'\n" + UsageText.short)
            case .missingValue(let option):
                console.err("usbip: error: option '\(option)' needs a value\n" + UsageText.short)
            case .invalidPort(let text):
                console.err("usbip: error: invalid TCP port '\(text)': expected a number from 1 to 65535\n")
            }
            return 1
        }

        guard let command = rest.first else {
            console.out(UsageText.full)
            return 1
        }
        switch command {
        case "help":
            return Help.print(topic: rest.dropFirst().first, console: console)
        case "--help", "-h":
            console.out(USBIPCommand.helpMessage() + "\n")
            return 0
        case "--version", "version":
            // Answered before ArgumentParser builds its command tree, which costs milliseconds at startup
            // (C ignores anything after `version` too).
            console.outLine(versionText)
            return 0
        case "--generate-completion-script":
            // Let ArgumentParser generate the completion script from the command tree.
            do {
                var parsed = try USBIPCommand.parseAsRoot(rest)
                try parsed.run()
                return 0
            } catch {
                let code = USBIPCommand.exitCode(for: error)
                let message = USBIPCommand.fullMessage(for: error)
                if code == .success { console.outLine(message); return 0 }
                console.err(message + "\n")
                return 1
            }
        default:
            break
        }

        let logger = makeLogger(options: options)
        let context = CommandContext(options: options, logger: logger, console: console)
        let parsed: ParsableCommand
        do {
            parsed = try USBIPCommand.parseAsRoot(rest)
        } catch {
            let code = USBIPCommand.exitCode(for: error)
            let message = USBIPCommand.fullMessage(for: error)
            if code == .success {
                console.outLine(message)
                return 0
            }
            let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            console.err("usbip: error: " + text + "\n")
            return 1
        }
        guard let subcommand = parsed as? USBIPSubcommand else {
            // ArgumentParser's own commands (`COMMAND --help`, `help`): let them run and print.
            do {
                var command = parsed
                try command.run()
                return 0
            } catch {
                let message = USBIPCommand.fullMessage(for: error)
                if USBIPCommand.exitCode(for: error) == .success {
                    console.outLine(message)
                    return 0
                }
                console.err("usbip: error: " + message + "\n")
                return 1
            }
        }
        do {
            try subcommand.run(context: context)
            return 0
        } catch let error as ExitCode {
            return error.rawValue == 0 ? 0 : 1
        } catch {
            // Through the logger, so that --log sends it to syslog too (as C's err() does).
            logger.error("\(error)")
            return 1
        }
    }

    /// The logger the commands use: stderr in the C format (`usbip: debug: …` with `--debug`), plus syslog with
    /// `--log`; a command's error and info lines go through it, so `--log` sends them to syslog as C's does.
    static func makeLogger(options: GlobalOptions) -> Logger {
        let level: Logger.Level = options.debug ? .debug : .info
        if options.log { SyslogLogHandler.open(ident: "usbip", daemon: false) }
        return Logger(label: "usbip") { _ in
            var handlers: [LogHandler] = [ToolLogHandler(program: "usbip", level: level)]
            if options.log { handlers.append(SyslogLogHandler(level: level)) }
            return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
        }
    }

    /// Only reached through ArgumentParser's own `main` (completion scripts); prints the command list.
    package func run() throws {
        Console.shared.out(UsageText.full)
    }
}
