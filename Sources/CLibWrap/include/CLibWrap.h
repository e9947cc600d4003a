#ifndef USBIP_CLIBWRAP_H
#define USBIP_CLIBWRAP_H

/* TCP wrappers (libwrap, <tcpd.h>) for the daemons. Kept apart from CShims so that only the programs that
 * check hosts.allow / hosts.deny (usbipd, usbipa) link libwrap and its libnsl/libtirpc/Kerberos chain;
 * usbip starts without loading any of it. */

/// Ask TCP wrappers (libwrap) whether the peer of the connected socket `fd` may use `daemon`.
/// Runs request_init(RQ_DAEMON, daemon, RQ_FILE, fd) + fromhost() + hosts_access().
/// Returns 1 when access is granted, 0 when denied.
int clibwrap_hosts_access_fd(const char *daemon, int fd);

/// Point libwrap at other hosts.allow / hosts.deny files (tests). NULL keeps the current table.
/// The strings are copied and kept for the life of the process.
void clibwrap_set_hosts_tables(const char *allow_path, const char *deny_path);

#endif
