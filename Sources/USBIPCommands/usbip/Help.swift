import ArgumentParser
import USBIPSupport

extension USBIPCommand {
    /// `usbip help [COMMAND]`: the classic command list, or one command's usage.
    struct Help: ParsableCommand, USBIPSubcommand {
        // Hidden from `--help` and the completion scripts: ArgumentParser adds its own `help` subcommand to every
        // command tree, and listing both would offer `help` twice. `run(arguments:)` handles `help` itself.
        static let configuration = CommandConfiguration(
            abstract: "Show the command list, or the usage of one command.", shouldDisplay: false)

        /// The command to describe.
        @Argument(help: "A command name, e.g. attach.")
        var command: String?

        func run(context: CommandContext) throws {
            if Help.print(topic: command, console: context.console) != 0 { throw ExitCode.failure }
        }

        /// Prints help for `topic` (nil: the list) and returns the exit status: 0, or 1 for an unknown command
        /// (after printing the full list, as the C tool does).
        static func print(topic: String?, console: Console) -> Int32 {
            guard let topic else {
                console.out(UsageText.full)
                return 0
            }
            if let usage = UsageText.commands[topic] {
                console.out(usage)
                return 0
            }
            console.out(UsageText.full)
            return 1
        }
    }

    /// `usbip version`: prints `usbip (usbip-utils 2.0)`.
    struct Version: ParsableCommand, USBIPSubcommand {
        static let configuration = CommandConfiguration(abstract: "Show the version.")

        func run(context: CommandContext) throws {
            context.console.outLine(USBIPCommand.versionText)
        }
    }
}
