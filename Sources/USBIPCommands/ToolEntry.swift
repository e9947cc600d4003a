import ArgumentParser

/// The entry points of the three executables, so each `main` is one line and all logic lives in this library.
public enum ToolEntry {
    /// Runs `usbip` with the process's arguments and exits.
    public static func usbip() { USBIPCommand.main() }
    /// Runs `usbipd` with the process's arguments and exits.
    public static func usbipd() { USBIPDCommand.main() }
    /// Runs `usbipa` with the process's arguments and exits.
    public static func usbipa() { USBIPACommand.main() }
}
