#if canImport(Glibc)
@preconcurrency import Glibc
#endif
package import Logging
import SystemPackage
import USBIPWire
package import USBIPSupport
package import USBIPNet
package import USBIPOperations

/// The accept loop shared by `usbipd` and `usbipa`: one thread polls the listeners, a `signalfd` and every peer
/// still sending its request; complete requests go to a bounded ``WorkerPool`` running the ``RequestHandler``.
///
/// Per connection: `accept4(SOCK_CLOEXEC)`, the ``AccessPolicy`` before any byte is read (`denied access from
/// <host>`, close), `connection from <host>:<port>`, then the request is read without blocking the loop, within
/// ``DaemonConfiguration/timeoutSeconds`` in total (slow, silent or malicious peers cost one descriptor, never a
/// thread). A wrong version, an unknown code or a non-zero status closes the connection without a reply, as
/// mainline does. Exactly the request's bytes are read: whatever follows belongs to the kernel after an import.
package final class DaemonLoop<Handler: RequestHandler>: @unchecked Sendable {
    /// The limits and the daemon's name.
    package let configuration: DaemonConfiguration
    /// The request handler run on the workers.
    package let handler: Handler

    private let listeners: [TCPListener]
    private let policy: any AccessPolicy
    private let logger: Logger
    private let signals: TerminationSignals?
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let pool: WorkerPool
    private var pending: [Pending] = []

    /// A peer still sending its request.
    private struct Pending {
        let connection: TCPConnection
        let label: String
        let deadline: Int64
        var decoder: RequestDecoder
    }

    /// A loop over `listeners` (the loop owns and closes them) serving requests with `handler`; `signals`, when
    /// given, ends ``run()`` on SIGTERM/SIGINT.
    package init(
        listeners: [TCPListener], handler: Handler, policy: any AccessPolicy = AllowAllPolicy(), logger: Logger,
        configuration: DaemonConfiguration, signals: TerminationSignals? = nil
    ) throws(USBIPError) {
        self.listeners = listeners
        self.handler = handler
        self.policy = policy
        self.logger = logger
        self.configuration = configuration
        self.signals = signals
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .socket(operation: "pipe", errno: Errno(rawValue: errno)) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        pool = WorkerPool(maxThreads: configuration.workers, queueCapacity: configuration.queueCapacity)
    }

    deinit {
        _ = close(wakeRead)
        _ = close(wakeWrite)
    }

    /// The addresses listened on.
    package var addresses: [SocketAddress] { listeners.map(\.address) }

    /// Ends ``run()`` soon; callable from any thread (and more than once).
    package func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Serves connections until ``stop()`` or a termination signal; then closes the listeners and the pending
    /// connections. Returns the signal number that ended it, if any.
    @discardableResult
    package func run() -> Int32? {
        for listener in listeners {
            _ = fcntl(listener.fd, F_SETFL, fcntl(listener.fd, F_GETFL) | O_NONBLOCK)
        }
        var endedBy: Int32? = nil
        logger.debug("\(configuration.name): serving on \(addresses.map(String.init(describing:)).joined(separator: ", "))")
        defer { logger.debug("\(configuration.name): stopped accepting\(endedBy.map { " on signal \($0)" } ?? "")") }
        loop: while true {
            var fds: [pollfd] = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            fds.append(pollfd(fd: signals?.fd ?? -1, events: Int16(POLLIN), revents: 0))
            for listener in listeners { fds.append(pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)) }
            let firstPending = fds.count
            for peer in pending { fds.append(pollfd(fd: peer.connection.fd, events: Int16(POLLIN), revents: 0)) }

            var timeout: Int32 = 10_000
            let now = monotonicMilliseconds()
            if let soonest = pending.map(\.deadline).min() {
                timeout = Int32(clamping: max(0, min(Int64(timeout), soonest - now)))
            }
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 {
                if errno == EINTR { continue }
                logger.error("poll: \(Errno(rawValue: errno))")
                break
            }
            if fds[0].revents != 0 { break }
            if fds[1].revents != 0, let signals {
                endedBy = signals.take()
                if endedBy != nil { break loop }
            }
            // Pending peers first (their indices match `pending` as it was when polled).
            var keep: [Pending] = []
            keep.reserveCapacity(pending.count)
            let later = monotonicMilliseconds()
            for (index, peer) in pending.enumerated() {
                var peer = peer
                let events = fds[firstPending + index].revents
                if events != 0 {
                    if !advance(&peer) { continue }
                } else if later >= peer.deadline {
                    logger.info("\(peer.label): timed out waiting for the request")
                    peer.connection.close()
                    continue
                }
                keep.append(peer)
            }
            pending = keep
            for (index, listener) in listeners.enumerated() where fds[2 + index].revents != 0 {
                acceptAll(from: listener)
            }
        }
        for peer in pending { peer.connection.close() }
        pending.removeAll()
        for listener in listeners { listener.close() }
        pool.shutdown(wait: configuration.waitForWorkers)
        return endedBy
    }

    // MARK: - Accepting

    private func acceptAll(from listener: TCPListener) {
        for _ in 0..<64 {
            switch listener.accept() {
            case .failure(let error):
                if error == .resourceTemporarilyUnavailable || error == .interrupted || error == .connectionAbort {
                    return
                }
                logger.error("accept: \(error)")
                if error == .tooManyOpenFiles || error.rawValue == ENFILE {
                    // Out of descriptors: make room, and do not spin on the still-readable listener.
                    dropOldestPending()
                    usleep(10_000)
                }
                return
            case .success(let connection):
                admit(connection)
            }
        }
    }

    private func admit(_ connection: TCPConnection) {
        let host = connection.peer?.host ?? "?"
        guard policy.permits(socket: connection.fd) else {
            logger.info("denied access from \(host)")
            connection.close()
            return
        }
        let label = connection.peer.map(String.init(describing:)) ?? "?"
        logger.info("connection from \(label)")
        if pending.count >= configuration.maxPendingConnections { dropOldestPending() }
        let deadline = monotonicMilliseconds() + Int64(configuration.timeoutSeconds) * 1000
        let decoder = RequestDecoder(accepting: handler.acceptedRequests)
        pending.append(Pending(connection: connection, label: label, deadline: deadline, decoder: decoder))
    }

    private func dropOldestPending() {
        guard !pending.isEmpty else { return }
        let oldest = pending.removeFirst()
        logger.warning("too many connections waiting: dropping \(oldest.label)")
        oldest.connection.close()
    }

    // MARK: - Reading the request

    /// Reads what the peer sent (at most what its ``RequestDecoder`` still needs); returns `false` when the
    /// connection left the pending set (handed to a worker or closed).
    private func advance(_ peer: inout Pending) -> Bool {
        let want = peer.decoder.bytesNeeded
        var chunk = [UInt8](repeating: 0, count: want)
        let n = chunk.withUnsafeMutableBytes { recv(peer.connection.fd, $0.baseAddress, want, Int32(MSG_DONTWAIT)) }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return true }
            logger.info("\(peer.label): receive failed: \(Errno(rawValue: errno))")
            peer.connection.close()
            return false
        }
        if n == 0 {
            logger.info("\(peer.label): closed before sending a whole request")
            peer.connection.close()
            return false
        }
        do throws(WireError) {
            guard case .done(let request) = try peer.decoder.feed(chunk[..<n]) else { return true }
            dispatch(request, on: peer.connection, label: peer.label)
        } catch {
            logRejected(error, label: peer.label)
            peer.connection.close()
        }
        return false
    }

    private func logRejected(_ error: WireError, label: String) {
        switch error {
        case .unknownOpCode(let code):
            logger.error("received an unknown opcode: 0x\(Hex.digits(UInt16(truncatingIfNeeded: code), width: 4)) from \(label)")
        case .unsupportedVersion(let version):
            logger.error("\(label): unsupported version 0x\(Hex.digits(version, width: 4)) (USBIP kernel and tool version mismatch)")
        default:
            logger.error("\(label): invalid request: \(error)")
        }
    }

    // MARK: - Serving

    private func dispatch(_ request: Request, on connection: TCPConnection, label: String) {
        let handler = self.handler
        let logger = self.logger
        let timeout = configuration.timeoutSeconds
        let accepted = pool.submit {
            let code = "0x\(Hex.digits(request.code.rawValue, width: 4))(\(connection.fd))"
            logger.info("received request: \(code)")
            connection.setDeadline(seconds: timeout)
            do {
                _ = try handler.handle(request, on: connection, logger: logger)
                logger.info("request \(code): complete")
            } catch {
                logger.info("request \(code): failed: \(error)")
            }
            // After a hand-over the kernel holds its own reference: dropping ours does not end the connection.
            connection.close()
        }
        if !accepted {
            logger.warning("all workers busy: closing the connection from \(label)")
            connection.close()
        }
    }
}
