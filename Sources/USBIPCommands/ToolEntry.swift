/// The entry point of `usbip`, so its `main` is one line and all logic lives in this library.
public enum ToolEntry {
    /// Runs `usbip` with the process's arguments and exits.
    public static func usbip() { USBIPCommand.main() }
}
