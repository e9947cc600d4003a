/// What differs between the two daemons built on the same ``DaemonMain`` shell: name (log prefix, syslog
/// ident, TCP-wrappers service), default pid file, whether `-e/--device` exists, and the help text.
package struct DaemonProgram: Sendable {
    /// `usbipd` or `usbipa`.
    let name: String
    /// The pid file `-P`/`--pid` without a file name writes.
    let defaultPIDFile: String
    /// Whether `-e/--device` (vUDC mode) is an option.
    let hasDeviceMode: Bool
    /// The `-h` text.
    let help: String

    /// The `-v` line: `usbipd (usbip-utils 2.0)`.
    var version: String { "\(name) (usbip-utils 2.0)" }

    /// The device-side daemon (mainline texts).
    package static let usbipd = DaemonProgram(
        name: "usbipd", defaultPIDFile: DaemonOptions.defaultPIDFile, hasDeviceMode: true, help: DaemonUsageText.help)

    /// The application-side daemon (usbip-next).
    package static let usbipa = DaemonProgram(
        name: "usbipa", defaultPIDFile: "/var/run/usbipa.pid", hasDeviceMode: false, help: DaemonUsageText.usbipaHelp)
}
