#ifndef USBIP_CSHIMS_H
#define USBIP_CSHIMS_H

#include <sys/types.h>
#include <sys/socket.h>
#include <signal.h>

/// Ask TCP wrappers (libwrap) whether the peer of the connected socket `fd` may use `daemon`.
/// Runs request_init(RQ_DAEMON, daemon, RQ_FILE, fd) + fromhost() + hosts_access().
/// Returns 1 when access is granted, 0 when denied.
int cshims_hosts_access_fd(const char *daemon, int fd);

/// Point libwrap at other hosts.allow / hosts.deny files (tests). NULL keeps the current table.
/// The strings are copied and kept for the life of the process.
void cshims_set_hosts_tables(const char *allow_path, const char *deny_path);

/// accept4(2), a GNU extension invisible to Swift without _GNU_SOURCE.
int cshims_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

/// signalfd(2) over the given signals (blocked by the caller), with SFD_CLOEXEC.
int cshims_signalfd(const sigset_t *mask);

/// POSIX_SPAWN_SETSID, a GNU extension.
short cshims_posix_spawn_setsid(void);

/// syslog(3) with a constant "%s" format (syslog is variadic).
void cshims_syslog(int priority, const char *message);

#endif
