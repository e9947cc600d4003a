#define _GNU_SOURCE
#include "CShims.h"

#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <tcpd.h>

/* libwrap expects the program to define these (link error otherwise). */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

int cshims_hosts_access_fd(const char *daemon, int fd) {
    struct request_info request;
    request_init(&request, RQ_DAEMON, daemon, RQ_FILE, fd, 0);
    fromhost(&request);
    return hosts_access(&request);
}

void cshims_set_hosts_tables(const char *allow_path, const char *deny_path) {
    if (allow_path) hosts_allow_table = strdup(allow_path);
    if (deny_path) hosts_deny_table = strdup(deny_path);
}

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
