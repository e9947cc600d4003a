public import ArgumentParser

/// `usbip`: the command-line tool (filled in by the usbip issue).
public struct USBIPCommand: ParsableCommand {
    /// How ArgumentParser presents the command.
    public static let configuration = CommandConfiguration(commandName: "usbip", abstract: "Share USB devices over TCP/IP.")
    /// Creates the command (ArgumentParser).
    public init() {}
}

/// `usbipd`: the device-side daemon.
public struct USBIPDCommand: ParsableCommand {
    /// How ArgumentParser presents the command.
    public static let configuration = CommandConfiguration(commandName: "usbipd", abstract: "USB/IP device-side daemon.")
    /// Creates the command (ArgumentParser).
    public init() {}
}

/// `usbipa`: the application-side daemon.
public struct USBIPACommand: ParsableCommand {
    /// How ArgumentParser presents the command.
    public static let configuration = CommandConfiguration(commandName: "usbipa", abstract: "USB/IP application-side daemon.")
    /// Creates the command (ArgumentParser).
    public init() {}
}
