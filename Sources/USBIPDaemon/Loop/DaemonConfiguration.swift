/// The limits of a ``DaemonLoop``: how many peers may be waiting to send their request, how many requests run at
/// once, and how long a peer may take.
package struct DaemonConfiguration: Sendable {
    /// The daemon's name (`usbipd`, `usbipa`): the name in the loop's start and stop messages; the caller uses the
    /// same name for its TCP-wrappers policy (`TCPWrappersPolicy(daemonName:)`).
    package var name: String
    /// Worker threads serving complete requests (started on demand).
    package var workers: Int
    /// Complete requests that may wait for a worker; beyond that a connection is closed without reply.
    package var queueCapacity: Int
    /// Connections still sending their request; when full, the oldest is dropped for the newcomer.
    package var maxPendingConnections: Int
    /// Seconds a peer has to send its whole request, and that each reply write may block.
    package var timeoutSeconds: Int
    /// Whether ``DaemonLoop/run()`` joins the workers before returning (tests); a daemon exiting does not wait.
    package var waitForWorkers: Bool

    /// Limits for daemon `name`: 16 workers, 256 queued requests, 512 pending connections, 5 s per peer.
    package init(
        name: String, workers: Int = 16, queueCapacity: Int = 256, maxPendingConnections: Int = 512,
        timeoutSeconds: Int = 5, waitForWorkers: Bool = true
    ) {
        self.name = name
        self.workers = workers
        self.queueCapacity = queueCapacity
        self.maxPendingConnections = maxPendingConnections
        self.timeoutSeconds = timeoutSeconds
        self.waitForWorkers = waitForWorkers
    }
}
