public import ArgumentParser

/// `usbipd`: the device-side daemon (being built: see the usbipd issue). Prints its help for now.
public struct USBIPDCommand: ParsableCommand {
    /// How ArgumentParser presents the command.
    public static let configuration = CommandConfiguration(
        commandName: "usbipd", abstract: "USB/IP device-side daemon (not yet implemented in this build).")
    /// Creates the command (ArgumentParser).
    public init() {}
    /// Prints the help and fails: the daemon is not implemented yet.
    public func run() throws {
        print(USBIPDCommand.helpMessage())
        throw ExitCode.failure
    }
}
