package import Logging
import SystemPackage

/// What every `usbip` command works with: the global options, the sysfs root, a logger and the console.
/// Built once in ``USBIPCommand/run(arguments:)`` and handed to the command's `run(context:)`.
package struct CommandContext {
    /// The options given before the command.
    package let options: GlobalOptions
    /// sysfs (the real `/sys` unless a test passed `--sysfs-root`).
    package let sysfs: Sysfs
    /// The logger the library calls use (stderr in the C format, plus syslog with `--log`).
    package let logger: Logger
    /// Where output goes.
    package let console: Console

    package init(options: GlobalOptions, logger: Logger, console: Console = .shared) {
        self.options = options
        self.sysfs = options.sysfsRoot.map { Sysfs(root: .init(absolutePath($0))) } ?? Sysfs()
        self.logger = logger
        self.console = console
    }

    /// Logs `text` at info level: `usbip: info: <text>` on stderr, and to syslog with `--log`, as the C tool's
    /// `info()` does.
    package func info(_ text: String) { logger.info("\(text)") }
}

/// A `usbip` subcommand: parsed by ArgumentParser, run with the shared context.
package protocol USBIPSubcommand {
    /// Does the work; errors are printed once by the caller as `usbip: error: <description>`.
    func run(context: CommandContext) throws
}

#if canImport(Glibc)
@preconcurrency import Glibc
#endif
package import USBIPSupport
package import USBIPKernel

/// `path` made absolute against the working directory (test roots may be given relative).
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self) + "/" + path
}
