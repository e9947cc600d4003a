/// The entry points of the daemons. They live in their own target, without ArgumentParser and
/// FoundationEssentials, so the daemons' binaries stay smaller and touch fewer pages at start.
package enum DaemonEntry {
    /// Runs `usbipd` with the process's arguments and exits.
    package static func usbipd() { USBIPDCommand.main() }
    /// Runs `usbipa` with the process's arguments and exits.
    package static func usbipa() { USBIPACommand.main() }
}
