#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import SystemPackage
package import USBIPSupport

/// SIGTERM and SIGINT as a readable descriptor (`signalfd`): the daemon blocks them with `pthread_sigmask` before any
/// thread exists (threads inherit the mask) and its loop polls the descriptor; no C signal handler runs Swift code.
package final class TerminationSignals: @unchecked Sendable {
    /// The `signalfd` descriptor (close-on-exec).
    package let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { _ = close(fd) }

    /// Blocks SIGTERM and SIGINT for the calling thread and its future threads, and opens the `signalfd`. Call it
    /// while the process has a single thread. (SIGHUP and SIGPIPE are ignored instead: ``IgnoredSignals``.)
    package static func block() throws(USBIPError) -> TerminationSignals {
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGTERM)
        sigaddset(&mask, SIGINT)
        guard pthread_sigmask(SIG_BLOCK, &mask, nil) == 0 else {
            throw .other("pthread_sigmask failed")
        }
        let fd = cshims_signalfd(&mask)
        guard fd >= 0 else { throw .socket(operation: "signalfd", errno: Errno(rawValue: errno)) }
        return TerminationSignals(fd: fd)
    }

    /// Reads one pending signal's number, or `nil` when none could be read.
    package func take() -> Int32? {
        // struct signalfd_siginfo is 128 bytes; its first field is the u32 `ssi_signo`.
        var info = [UInt8](repeating: 0, count: 128)
        let n = info.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n == 128 else { return nil }
        return info.withUnsafeBytes { Int32(bitPattern: $0.loadUnaligned(as: UInt32.self)) }
    }
}
