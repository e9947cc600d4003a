#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging
import USBIPKernel
import USBIPNet
import USBIPOperations
import USBIPDaemon
import USBIPTCPWrappers

/// `usbipd`: the device-side daemon, a drop-in for Debian's C `usbipd` (same options, texts, TCP-wrappers name and
/// exit statuses). Serves DEVLIST and IMPORT with ``HostRequestHandler`` on the shared ``DaemonMain`` shell.
package enum USBIPDCommand {
    /// Runs the daemon with the process's arguments and exits.
    package static func main() {
        exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs the daemon and returns its exit status.
    static func run(arguments: [String]) -> Int32 {
        DaemonMain.run(arguments: arguments, program: .usbipd, policy: TCPWrappersPolicy(daemonName: "usbipd")) { options, sysfs, _ -> Result<HostRequestHandler, DaemonMain.StartupFailure> in
            let backend: any ExportBackend =
                options.deviceMode ? VUDCExportBackend(sysfs: sysfs) : HostExportBackend(sysfs: sysfs)
            guard backend.isLoaded else {
                return .failure(DaemonMain.StartupFailure(
                    message: options.deviceMode
                        ? "please load usbip-core.ko and usbip-vudc.ko!" : "please load usbip-core.ko and usbip-host.ko!"))
            }
            let keepalive = KeepaliveSettings(
                idle: options.keepIdle, interval: options.keepInterval, count: options.keepCount)
            return .success(HostRequestHandler(backend: backend, keepalive: keepalive))
        }
    }
}
