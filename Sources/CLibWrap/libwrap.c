#include "CLibWrap.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <tcpd.h>

/* libwrap expects the program to define these (link error otherwise). */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

int clibwrap_hosts_access_fd(const char *daemon, int fd) {
    struct request_info request;
    request_init(&request, RQ_DAEMON, daemon, RQ_FILE, fd, 0);
    fromhost(&request);
    return hosts_access(&request);
}

void clibwrap_set_hosts_tables(const char *allow_path, const char *deny_path) {
    if (allow_path) hosts_allow_table = strdup(allow_path);
    if (deny_path) hosts_deny_table = strdup(deny_path);
}
