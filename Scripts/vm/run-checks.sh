#!/usr/bin/env bash
# Guest side of Scripts/system-tests: runs inside the test VM (as Scripts/vm/boot.sh's SCRIPT), in /tmp/job.
#
# Reads ./env (USBIP_REPO, USBIP_BIN, USBIP_TEST_BUNDLE, USBIP_SWIFT_RUNTIME, USBIP_CHECK_TIMEOUT) and
# ./checks (check files, one path per line), then for each check file:
#   - runs it with bash in a fresh working directory, after sourcing Tests/System/lib.sh, with a time limit;
#   - records a FAIL when it has a syntax error, timed out, called `exit` with a non-zero status (or died
#     under `set -e`) or recorded no check at all (its last command's status does not count);
#   - stops every process it left running and restores the VM (restore_state), recording a FAIL if that fails.
# Results go to ./results (STATUS<TAB>NAME per line), which the host side counts. Exit status 0.
set -u
cd /tmp/job || exit 1
# shellcheck source=/dev/null
. ./env
export USBIP_REPO USBIP_BIN USBIP_TEST_BUNDLE USBIP_SWIFT_RUNTIME
export USBIP_RESULTS=/tmp/job/results STICK_SHA256=/tmp/job/stick.sha256
lib=$USBIP_REPO/Tests/System/lib.sh
# shellcheck source=../../Tests/System/lib.sh
. "$lib"
: > "$USBIP_RESULTS"
echo

# user_pids: processes with a command line (kernel threads have none), so never this VM's kernel threads.
user_pids() {
    local p cmdline
    for p in /proc/[0-9]*; do
        cmdline=
        IFS= read -r -d '' cmdline 2>/dev/null < "$p/cmdline"
        [ -n "$cmdline" ] && echo "${p#/proc/}"
    done
}

# running PID...: whether one of the processes is still alive (zombies, which only wait for their parent,
# do not count).
running() {
    local p status
    for p in "$@"; do
        status=
        IFS= read -r -d '' status 2>/dev/null < "/proc/$p/status"
        case "$status" in *$'\nState:\tZ'*) ;; ?*) return 0 ;; esac
    done
    return 1
}

# stop_new_processes BEFORE: TERM every process that did not exist in the list BEFORE, wait (at most 3 s)
# until they are gone, KILL what is left.
stop_new_processes() {
    local new
    new=$(comm -13 <(printf '%s\n' "$1" | sort) <(user_pids | sort) | grep -v -x -e "$$" -e "$BASHPID")
    [ -n "$new" ] || return 0
    # shellcheck disable=SC2086
    kill -TERM $new 2>/dev/null
    # shellcheck disable=SC2086
    wait_for "! running $(echo $new)" 30 || kill -KILL $new 2>/dev/null
    return 0
}

if ! wait_for 'stick_busid > /dev/null && kbd_busid > /dev/null' 100; then
    record FAIL "vm: the emulated stick and keyboard are present at start"
    ls -l "$USB_SYSFS"
fi
# Kernel messages from here on are the checks' (Scripts/system-tests shows them after a failure).
read -r uptime _ < /proc/uptime
echo "$uptime" > checks-started
# The state every check file starts from: which driver each USB device and interface has, and the
# network interfaces (restore_state removes any others).
baseline_drivers=$(usb_drivers)
USBIP_BASE_NETDEVS=$(cd /sys/class/net && echo *)
export USBIP_BASE_NETDEVS

while IFS= read -r file; do
    [ -n "$file" ] || continue
    name=$(basename "$file" .sh)
    echo "== $name"
    before=$(user_pids)
    count_before=$(wc -l < "$USBIP_RESULTS")
    work=/tmp/checks/$name
    mkdir -p "$work"
    started=$(date +%s)
    if ! syntax=$(bash -n "$file" 2>&1); then
        record FAIL "$name: the check file has a syntax error"
        echo "$syntax" | sed 's/^/     /'
        continue
    fi
    (
        cd "$work" || exit 1
        USBIP_CHECK_PREFIX="$name: " timeout -k 5 "${USBIP_CHECK_TIMEOUT:-180}" \
            bash -c '. "$1"; . "$2"; exit 0' check "$lib" "$file"
    )
    rc=$?
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        record FAIL "$name: timed out after ${USBIP_CHECK_TIMEOUT:-180} s"
    elif [ $rc -ne 0 ]; then
        record FAIL "$name: the check file exited with status $rc"
    fi
    [ "$(wc -l < "$USBIP_RESULTS")" -gt "$count_before" ] || record FAIL "$name: the check file recorded no check"
    stop_new_processes "$before"
    if ! problem=$(restore_state); then
        record FAIL "$name: restoring the VM afterwards"
        echo "     $problem"
    elif ! wait_for '[ "$(usb_drivers)" = "$baseline_drivers" ]' 50; then
        record FAIL "$name: restoring the VM afterwards (drivers of the USB devices as at boot)"
        echo "     expected (-) vs actual (+):"
        diff <(echo "$baseline_drivers") <(usb_drivers) | sed 's/^/       | /'
    fi
    echo "   ($name took $(($(date +%s) - started)) s)"
done < ./checks
exit 0
