#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The signals a daemon survives: set to `SIG_IGN` for the whole process, first thing at start-up.
///
/// - SIGHUP: Debian's C usbipd survives `kill -HUP`, and there is nothing to reload or reopen (logs go to stderr
///   or syslog, the options are fixed at start).
/// - SIGPIPE: a peer that resets mid-reply, or a stderr nobody reads any more, is an `EPIPE` error on that write
///   (sockets are also written with `MSG_NOSIGNAL`), never the end of the daemon.
package enum IgnoredSignals {
    /// SIGHUP and SIGPIPE.
    package static let numbers: [Int32] = [SIGHUP, SIGPIPE]

    /// Ignores every signal of ``numbers``. Dispositions belong to the process, so threads started later share
    /// them; the `-D` child sets them again itself.
    package static func install() {
        for number in numbers { signal(number, SIG_IGN) }
    }
}
