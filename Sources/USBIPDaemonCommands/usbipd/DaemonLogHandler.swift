#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging

/// The foreground daemon's log lines on stderr in the C format (`usbipd: info: connection from …`): one `write(2)`
/// per line, so lines from the worker threads never interleave.
struct DaemonLogHandler: LogHandler {
    /// The program name printed first.
    let program: String
    /// The lowest level printed.
    var logLevel: Logger.Level
    /// Metadata attached to every message (printed at debug level).
    var metadata: Logger.Metadata = [:]

    init(program: String, level: Logger.Level) {
        self.program = program
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let word: String
        switch event.level {
        case .trace, .debug: word = "debug"
        case .info, .notice: word = "info"
        case .warning: word = "warning"
        case .error, .critical: word = "error"
        }
        var line = "\(program): \(word): \(event.message)"
        if logLevel <= .debug {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            if !all.isEmpty {
                line += " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
        }
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(2, $0.baseAddress?.advanced(by: offset), bytes.count - offset) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
    }
}
