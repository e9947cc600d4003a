#define _GNU_SOURCE
#include "CShims.h"

#include <spawn.h>
#include <sys/signalfd.h>
#include <syslog.h>

int cshims_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

int cshims_signalfd(const sigset_t *mask) {
    return signalfd(-1, mask, SFD_CLOEXEC);
}

short cshims_posix_spawn_setsid(void) {
    return POSIX_SPAWN_SETSID;
}

void cshims_syslog(int priority, const char *message) {
    syslog(priority, "%s", message);
}
