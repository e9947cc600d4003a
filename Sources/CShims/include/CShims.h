#ifndef USBIP_CSHIMS_H
#define USBIP_CSHIMS_H

#include <sys/types.h>
#include <sys/socket.h>
#include <signal.h>

/// accept4(2), a GNU extension invisible to Swift without _GNU_SOURCE.
int cshims_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

/// signalfd(2) over the given signals (blocked by the caller), with SFD_CLOEXEC.
int cshims_signalfd(const sigset_t *mask);

/// POSIX_SPAWN_SETSID, a GNU extension.
short cshims_posix_spawn_setsid(void);

/// syslog(3) with a constant "%s" format (syslog is variadic).
void cshims_syslog(int priority, const char *message);

#endif
