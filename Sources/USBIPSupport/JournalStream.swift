#if canImport(Glibc)
@preconcurrency import Glibc
#endif
package import Logging

/// systemd's journal stream: a service whose stderr goes to journald gets `JOURNAL_STREAM=<device>:<inode>` of
/// that stream, and a line on it that starts with `<N>` (sd-daemon(3): `<3>` error … `<7>` debug) is stored
/// with priority N, so `journalctl -p err` tells errors from info.
package enum JournalStream {
    /// Whether this process's stderr is the journal stream (`$JOURNAL_STREAM` names fd 2), decided once.
    package static let isStandardError: Bool = {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        return matches(String(cString: value), fd: 2)
    }()

    /// Whether `value` (`"<device>:<inode>"`, both decimal, as systemd writes it) names the file open as `fd`.
    package static func matches(_ value: String, fd: Int32) -> Bool {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// The sd-daemon prefix of a line at `level`: `<7>` trace and debug, `<6>` info, `<5>` notice, `<4>` warning,
    /// `<3>` error, `<2>` critical (syslog's priorities).
    package static func prefix(for level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "<7>"
        case .info: return "<6>"
        case .notice: return "<5>"
        case .warning: return "<4>"
        case .error: return "<3>"
        case .critical: return "<2>"
        }
    }
}
