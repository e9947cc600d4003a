public import ArgumentParser

/// `usbipa`: the application-side daemon (being built: see the usbipa issue). Prints its help for now.
public struct USBIPACommand: ParsableCommand {
    /// How ArgumentParser presents the command.
    public static let configuration = CommandConfiguration(
        commandName: "usbipa", abstract: "USB/IP application-side daemon (not yet implemented in this build).")
    /// Creates the command (ArgumentParser).
    public init() {}
    /// Prints the help and fails: the daemon is not implemented yet.
    public func run() throws {
        print(USBIPACommand.helpMessage())
        throw ExitCode.failure
    }
}
