#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging
import USBIPKernel
import USBIPOperations
import USBIPDaemon
import USBIPTCPWrappers

/// `usbipa` (usbip-next): the application-side daemon. Accepts devices pushed with `usbip connect` and plugs them
/// into vhci_hcd (``AppRequestHandler``), on the same ``DaemonMain`` shell as `usbipd`: options `-4 -6 -D -d
/// -P[FILE] -t PORT -h -v` (default pid file `/var/run/usbipa.pid`), syslog with `-D`, `Type=notify`, TCP
/// wrappers under the name `usbipa`.
package enum USBIPACommand {
    /// Runs the daemon with the process's arguments and exits.
    package static func main() {
        exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs the daemon and returns its exit status. Fails at start-up when vhci_hcd is not loaded.
    static func run(arguments: [String]) -> Int32 {
        DaemonMain.run(arguments: arguments, program: .usbipa, policy: TCPWrappersPolicy(daemonName: "usbipa")) { _, sysfs, _ -> Result<AppRequestHandler, DaemonMain.StartupFailure> in
            do {
                let vhci = try VHCIDriver(sysfs: sysfs)
                return .success(AppRequestHandler(vhci: vhci))
            } catch {
                return .failure(DaemonMain.StartupFailure(message: "\(error)"))
            }
        }
    }
}
