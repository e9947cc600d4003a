/// The entry point of `usbip`, so its `main` is one line and all logic lives in this library.
package enum ToolEntry {
    /// Runs `usbip` with the process's arguments and exits.
    package static func usbip() { USBIPCommand.main() }
}
