#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Writes the tools' output to stdout and stderr with plain `write(2)` calls (no Foundation, no stdio globals).
///
/// stdout is buffered and flushed at exit or when ``flush()`` is called, so a long `list` costs one syscall.
package final class Console: @unchecked Sendable {
    /// The process-wide console. Only the main thread of a command-line tool writes to it.
    package static let shared = Console()

    private var buffer: [UInt8] = []

    /// Appends `text` to stdout's buffer.
    package func out(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { flush() }
    }

    /// Appends `text` and a newline to stdout's buffer.
    package func outLine(_ text: String) { out(text + "\n") }

    /// Writes `text` to stderr at once (after flushing stdout, so the order on a shared terminal is kept).
    package func err(_ text: String) {
        flush()
        Console.writeAll(fd: 2, Array(text.utf8))
    }

    /// Writes the buffered stdout bytes.
    package func flush() {
        guard !buffer.isEmpty else { return }
        Console.writeAll(fd: 1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to `fd` (retrying on `EINTR`), without touching the stdout buffer: safe from any
    /// thread, and one call is one `write(2)` for anything up to the pipe buffer size.
    package static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress?.advanced(by: offset), bytes.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
