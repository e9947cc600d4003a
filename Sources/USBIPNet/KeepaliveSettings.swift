/// TCP keepalive timers for an imported connection (`--tcp-keepidle`, `--tcp-keepintvl`, `--tcp-keepcnt`);
/// `nil` keeps the kernel default (`net.ipv4.tcp_keepalive_*`).
package struct KeepaliveSettings: Sendable, Hashable {
    /// `TCP_KEEPIDLE`: seconds of silence before the first probe.
    package var idle: Int32?
    /// `TCP_KEEPINTVL`: seconds between probes.
    package var interval: Int32?
    /// `TCP_KEEPCNT`: unanswered probes before the connection is dropped.
    package var count: Int32?

    /// Settings with the given timers.
    package init(idle: Int32? = nil, interval: Int32? = nil, count: Int32? = nil) {
        self.idle = idle
        self.interval = interval
        self.count = count
    }
}
