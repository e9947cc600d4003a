#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
package import Logging

/// Sends log messages to syslog (`openlog(ident, LOG_PID, facility)`), for `usbipd -D` and `usbip --log`.
///
/// Levels map as trace/debug → `LOG_DEBUG`, info → `LOG_INFO`, notice → `LOG_NOTICE`, warning → `LOG_WARNING`,
/// error → `LOG_ERR`, critical → `LOG_CRIT`.
package struct SyslogLogHandler: LogHandler {
    /// The lowest level sent.
    package var logLevel: Logger.Level
    /// Metadata attached to every message.
    package var metadata: Logger.Metadata = [:]

    /// `openlog` keeps the ident pointer, so the string must live as long as the process.
    nonisolated(unsafe) private static var identStorage: UnsafeMutablePointer<CChar>? = nil

    /// Opens the syslog connection once per process under `ident` with `LOG_PID`, facility `LOG_DAEMON` for the
    /// daemons or `LOG_USER` for the command-line tool (as C `usbip --log` does).
    package static func open(ident: String, daemon: Bool) {
        if identStorage == nil { identStorage = strdup(ident) }
        openlog(identStorage, LOG_PID, daemon ? LOG_DAEMON : LOG_USER)
    }

    /// A handler for messages at `level` and above.
    package init(level: Logger.Level) { self.logLevel = level }

    /// Looks up one metadata value.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends one message.
    package func log(event: LogEvent) {
        let priority: Int32
        switch event.level {
        case .trace, .debug: priority = LOG_DEBUG
        case .info: priority = LOG_INFO
        case .notice: priority = LOG_NOTICE
        case .warning: priority = LOG_WARNING
        case .error: priority = LOG_ERR
        case .critical: priority = LOG_CRIT
        }
        cshims_syslog(priority, "\(event.message)")
    }
}
