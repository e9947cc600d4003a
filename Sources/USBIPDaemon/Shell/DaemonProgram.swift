/// What differs between the two daemons built on the same ``DaemonMain`` shell: name (log prefix, syslog
/// ident, TCP-wrappers service), default pid file, whether `-e/--device` and the keepalive options exist, and the
/// help text.
package struct DaemonProgram: Sendable {
    /// `usbipd` or `usbipa`.
    package let name: String
    /// The pid file `-P`/`--pid` without a file name writes.
    package let defaultPIDFile: String
    /// Whether `-e/--device` (vUDC mode) is an option.
    package let hasDeviceMode: Bool
    /// Whether `--tcp-keepidle`, `--tcp-keepintvl` and `--tcp-keepcnt` are options (usbipd's, for the
    /// connections it hands to the kernel).
    package let hasKeepaliveOptions: Bool
    /// The `-h` text.
    package let help: String

    /// The `-v` line: `usbipd (usbip-utils 2.0)`.
    package var version: String { "\(name) (usbip-utils 2.0)" }

    /// The device-side daemon (mainline texts).
    package static let usbipd = DaemonProgram(
        name: "usbipd", defaultPIDFile: DaemonOptions.defaultPIDFile, hasDeviceMode: true, hasKeepaliveOptions: true,
        help: DaemonUsageText.help)

    /// The application-side daemon (usbip-next).
    package static let usbipa = DaemonProgram(
        name: "usbipa", defaultPIDFile: "/var/run/usbipa.pid", hasDeviceMode: false, hasKeepaliveOptions: false,
        help: DaemonUsageText.usbipaHelp)
}
