package import Logging

/// Prints log messages the way the C tools do: `<program>: <level>: <message>` on stderr, where level is
/// `error`, `warning`, `info` or `debug` (`libsrc/usbip_common.h`: `err()`, `info()`, `dbg()`). When stderr is
/// the journal stream (``JournalStream``), each line starts with its sd-daemon priority (`<3>usbipd: error: …`),
/// which journald stores as the line's priority and strips.
package struct ToolLogHandler: LogHandler {
    /// How lines reach stderr.
    package enum Output: Sendable {
        /// Through the tool's ``Console``: its buffered stdout is flushed first, so a terminal shows both in
        /// order. For a command-line tool's main thread.
        case console
        /// One `write(2)` per line and no shared state, so lines from several threads never interleave. For the
        /// foreground daemons (journald reads their stderr).
        case standardError
    }

    /// The program name printed first (`usbip`, `usbipd`, `usbipa`).
    package let program: String
    /// How lines reach stderr.
    package let output: Output
    /// The lowest level printed.
    package var logLevel: Logger.Level
    /// Metadata attached to every message (printed in debug mode only).
    package var metadata: Logger.Metadata = [:]
    /// Whether lines start with their sd-daemon priority (`<6>`).
    package let priorityPrefixes: Bool

    /// A handler printing `program: level: message` lines for messages at `level` and above, with priority
    /// prefixes when `priorityPrefixes` (by default: when stderr is the journal stream).
    package init(
        program: String, level: Logger.Level, output: Output = .console,
        priorityPrefixes: Bool = JournalStream.isStandardError
    ) {
        self.program = program
        self.output = output
        self.logLevel = level
        self.priorityPrefixes = priorityPrefixes
    }

    /// Looks up one metadata value.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Prints one message.
    package func log(event: LogEvent) {
        let text = line(level: event.level, message: "\(event.message)", metadata: event.metadata)
        switch output {
        case .console: Console.shared.err(text)
        case .standardError: Console.writeAll(fd: 2, Array(text.utf8))
        }
    }

    /// The line printed for a message, newline included.
    package func line(level: Logger.Level, message: String, metadata extra: Logger.Metadata?) -> String {
        let word: String
        switch level {
        case .trace, .debug: word = "debug"
        case .info, .notice: word = "info"
        case .warning: word = "warning"
        case .error, .critical: word = "error"
        }
        var line = (priorityPrefixes ? JournalStream.prefix(for: level) : "") + "\(program): \(word): \(message)"
        if logLevel <= .debug {
            let all = metadata.merging(extra ?? [:]) { _, new in new }
            if !all.isEmpty {
                line += " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
        }
        return line + "\n"
    }
}
