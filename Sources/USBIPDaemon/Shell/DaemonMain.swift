#if canImport(Glibc)
@preconcurrency import Glibc
#endif
package import Logging
import SystemPackage
import USBIPSupport
package import USBIPKernel
package import USBIPNet
package import USBIPOperations

/// The start-up, logging, signal and shutdown shell shared by `usbipd` and `usbipa`; only the request handler
/// (and the check that its kernel driver is loaded) differs.
///
/// Start-up order (no thread exists before the loop): ignore SIGHUP and SIGPIPE; parse options; `-D`
/// re-executes itself and waits for the child's report; log set-up; the handler's driver check; block
/// SIGTERM/SIGINT (signalfd); listen; lock and write the pid file; report ready (`--daemon-child` pipe, systemd
/// `READY=1`); run the loop. SIGTERM/SIGINT: stop accepting, remove the pid file, exit 0. SIGHUP: ignored.
package enum DaemonMain {
    /// Runs `program` with `arguments` and returns its exit status. `makeHandler` builds the request handler
    /// from the options, or returns the start-up error message (such as a driver that is not loaded); `policy`
    /// decides which peers are served (the daemons pass TCP wrappers under their own name).
    package static func run<Handler: RequestHandler>(
        arguments: [String], program: DaemonProgram, policy: any AccessPolicy,
        makeHandler: (DaemonOptions, Sysfs, Logger) -> Result<Handler, StartupFailure>
    ) -> Int32 {
        // Before anything is written anywhere: no SIGPIPE from a closed stderr, no end on SIGHUP.
        IgnoredSignals.install()
        let options: DaemonOptions
        do {
            options = try DaemonOptions.parse(arguments, program: program)
        } catch {
            DaemonSpawner.printError(error.message(program: program.name))
            printOut(program.help)
            return 1
        }
        if options.help {
            printOut(program.help)
            return 0
        }
        if options.version {
            printOut(program.version + "\n")
            return 0
        }
        if options.daemonize && !options.daemonChild {
            return DaemonSpawner.spawnAndWait(arguments: arguments, program: program.name)
        }
        return serve(options, program: program, policy: policy, makeHandler: makeHandler)
    }

    /// A start-up error message (logged as `<program>: error: <message>`).
    package struct StartupFailure: Error {
        /// The message.
        package let message: String

        /// A failure with `message`.
        package init(message: String) { self.message = message }
    }

    private static func serve<Handler: RequestHandler>(
        _ options: DaemonOptions, program: DaemonProgram, policy: any AccessPolicy,
        makeHandler: (DaemonOptions, Sysfs, Logger) -> Result<Handler, StartupFailure>
    ) -> Int32 {
        let name = program.name
        let level: Logger.Level = options.debug ? .debug : .info
        if options.daemonChild {
            SyslogLogHandler.open(ident: name, daemon: true)
            LoggingSystem.bootstrap { _ in SyslogLogHandler(level: level) }
        } else {
            LoggingSystem.bootstrap { _ in ToolLogHandler(program: name, level: level, output: .standardError) }
        }
        let logger = Logger(label: name)
        umask(0o022)

        // Every start-up failure goes to the log and, for `-D`, to the waiting parent.
        func fail(_ message: String) -> Int32 {
            logger.error("\(message)")
            if options.daemonChild { DaemonSpawner.report("\(name): error: " + message) }
            return 1
        }

        if geteuid() != 0 { logger.error("not running as root?") }
        let sysfs = options.sysfsRoot.map { Sysfs(root: FilePath($0)) } ?? Sysfs()
        let handler: Handler
        switch makeHandler(options, sysfs, logger) {
        case .success(let made): handler = made
        case .failure(let failure): return fail(failure.message)
        }

        let signals: TerminationSignals
        do {
            signals = try TerminationSignals.block()
        } catch {
            return fail("\(error)")
        }
        logger.info("starting \(name) (usbip-utils 2.0)")

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

        let loop: DaemonLoop<Handler>
        do {
            loop = try DaemonLoop(
                listeners: listeners, handler: handler, policy: policy, logger: logger,
                configuration: DaemonConfiguration(name: name, waitForWorkers: false), signals: signals)
        } catch {
            pidFile?.remove()
            return fail("\(error)")
        }
        if options.daemonChild { DaemonSpawner.report("ok") }
        ServiceNotifier.notify("READY=1")

        loop.run()
        logger.info("shutting down \(name)")
        ServiceNotifier.notify("STOPPING=1")
        pidFile?.remove()
        return 0
    }

    private static func printOut(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
