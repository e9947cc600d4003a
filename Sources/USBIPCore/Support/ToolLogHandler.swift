public import Logging

/// Prints log messages the way the C tools do: `<program>: <level>: <message>` on stderr, where level is
/// `error`, `warning`, `info` or `debug` (`libsrc/usbip_common.h`: `err()`, `info()`, `dbg()`).
public struct ToolLogHandler: LogHandler {
    /// The program name printed first (`usbip`, `usbipd`, `usbipa`).
    public let program: String
    /// The lowest level printed.
    public var logLevel: Logger.Level
    /// Metadata attached to every message (printed in debug mode only).
    public var metadata: Logger.Metadata = [:]

    /// A handler printing `program: level: message` lines for messages at `level` and above.
    public init(program: String, level: Logger.Level) {
        self.program = program
        self.logLevel = level
    }

    /// Looks up one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Prints one message.
    public func log(event: LogEvent) {
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
        Console.shared.err(line + "\n")
    }
}
