import CLibWrap
import USBIPNet

/// TCP wrappers (libwrap): `/etc/hosts.allow` and `/etc/hosts.deny` rules for a daemon name, as Debian's
/// usbipd applies them (`request_init(RQ_DAEMON, name, RQ_FILE, fd)`, `fromhost()`, `hosts_access()`).
///
/// Rules look like `usbipd: 192.168.1.` or `usbipd: ALL`. The name is `usbipd` for the device-side daemon and
/// `usbipa` for the application-side one. libwrap keeps process-global state and may resolve names (DNS) inside
/// the check: call ``permits(socket:)`` from one thread only, the accept loop's.
///
/// This module is the only one that links libwrap (and the libnsl/libtirpc/Kerberos libraries it needs): the
/// daemons use it, `usbip` does not, so the client tool starts without loading them.
package struct TCPWrappersPolicy: AccessPolicy {
    /// The daemon name the rules are matched against (`RQ_DAEMON`).
    package let daemonName: String

    /// A policy checking the rules for `daemonName`.
    package init(daemonName: String) {
        self.daemonName = daemonName
    }

    /// Asks libwrap whether the peer of the connected socket `fd` may use ``daemonName``
    /// (`hosts_access()`: allowed by hosts.allow, or not denied by hosts.deny).
    package func permits(socket fd: Int32) -> Bool {
        daemonName.withCString { clibwrap_hosts_access_fd($0, fd) } != 0
    }

    /// Points libwrap at other rule files, for the whole process (libwrap's `hosts_allow_table` /
    /// `hosts_deny_table`); `nil` keeps the current one. libwrap re-reads the files on every check.
    package static func useTables(allow: String?, deny: String?) {
        switch (allow, deny) {
        case let (allow?, deny?):
            allow.withCString { a in deny.withCString { d in clibwrap_set_hosts_tables(a, d) } }
        case let (allow?, nil):
            allow.withCString { clibwrap_set_hosts_tables($0, nil) }
        case let (nil, deny?):
            deny.withCString { clibwrap_set_hosts_tables(nil, $0) }
        case (nil, nil):
            break
        }
    }
}
