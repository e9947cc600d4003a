#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging
import SystemPackage
import USBIPCore

/// `usbipd`: the device-side daemon, a drop-in for Debian's C `usbipd` (same options, texts, TCP-wrappers name and
/// exit statuses). Serves DEVLIST and IMPORT with ``HostRequestHandler`` on a ``DaemonLoop``.
///
/// Start-up order (no thread exists before the loop): parse options; `-D` re-executes itself and waits for the
/// child's report; log set-up; driver check; block SIGTERM/SIGINT (signalfd); listen; pid file; report ready
/// (`--daemon-child` pipe, systemd `READY=1`); run the loop. SIGTERM/SIGINT: stop accepting, remove the pid file,
/// exit 0.
public enum USBIPDCommand {
    /// Runs the daemon with the process's arguments and exits.
    public static func main() {
        exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs the daemon and returns its exit status.
    static func run(arguments: [String]) -> Int32 {
        let options: DaemonOptions
        do {
            options = try DaemonOptions.parse(arguments)
        } catch {
            DaemonSpawner.printError(error.message)
            printOut(DaemonUsageText.help)
            return 1
        }
        if options.help {
            printOut(DaemonUsageText.help)
            return 0
        }
        if options.version {
            printOut(DaemonUsageText.version + "\n")
            return 0
        }
        if options.daemonize && !options.daemonChild {
            return DaemonSpawner.spawnAndWait(arguments: arguments)
        }
        return serve(options)
    }

    private static func serve(_ options: DaemonOptions) -> Int32 {
        let level: Logger.Level = options.debug ? .debug : .info
        if options.daemonChild {
            SyslogLogHandler.open(ident: "usbipd", daemon: true)
            LoggingSystem.bootstrap { _ in SyslogLogHandler(level: level) }
        } else {
            LoggingSystem.bootstrap { _ in DaemonLogHandler(program: "usbipd", level: level) }
        }
        let logger = Logger(label: "usbipd")
        umask(0o022)

        // Every start-up failure goes to the log and, for `-D`, to the waiting parent.
        func fail(_ message: String) -> Int32 {
            logger.error("\(message)")
            if options.daemonChild { DaemonSpawner.report("usbipd: error: " + message) }
            return 1
        }

        if geteuid() != 0 { logger.error("not running as root?") }
        let sysfs = options.sysfsRoot.map { Sysfs(root: FilePath($0)) } ?? Sysfs()
        let backend: any ExportBackend = options.deviceMode ? VUDCExportBackend(sysfs: sysfs) : HostExportBackend(sysfs: sysfs)
        guard backend.isLoaded else {
            return fail(options.deviceMode ? "please load usbip-core.ko and usbip-vudc.ko!" : "please load usbip-core.ko and usbip-host.ko!")
        }

        let signals: TerminationSignals
        do {
            signals = try TerminationSignals.block()
        } catch {
            return fail("\(error)")
        }
        logger.info("starting usbipd (usbip-utils 2.0)")

        let family: ListenFamily
        switch options.family {
        case .both: family = .both
        case .ipv4: family = .ipv4
        case .ipv6: family = .ipv6
        }
        let listeners: [TCPListener]
        do {
            let opened = try TCPListener.open(port: options.port, family: family)
            for failure in opened.failures { logger.error("\(failure)") }
            listeners = opened.listeners
        } catch {
            return fail("\(error)")
        }
        for listener in listeners { logger.info("listening on \(listener.address)") }

        var pidFile: PIDFile? = nil
        if let path = options.pidFile {
            do {
                pidFile = try PIDFile.create(at: path)
            } catch {
                return fail("\(error)")
            }
        }

        let handler = HostRequestHandler(
            backend: backend,
            keepalive: KeepaliveSettings(idle: options.keepIdle, interval: options.keepInterval, count: options.keepCount))
        let loop: DaemonLoop<HostRequestHandler>
        do {
            loop = try DaemonLoop(
                listeners: listeners, handler: handler, policy: TCPWrappersPolicy(daemonName: "usbipd"), logger: logger,
                configuration: DaemonConfiguration(name: "usbipd", waitForWorkers: false), signals: signals)
        } catch {
            pidFile?.remove()
            return fail("\(error)")
        }
        if options.daemonChild { DaemonSpawner.report("ok") }
        ServiceNotifier.notify("READY=1")

        loop.run()
        logger.info("shutting down usbipd")
        ServiceNotifier.notify("STOPPING=1")
        pidFile?.remove()
        return 0
    }

    private static func printOut(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
