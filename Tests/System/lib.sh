# shellcheck shell=bash
# Tests/System/lib.sh: helpers for the system checks, which run as root inside the test VM
# (Scripts/system-tests boots it with Scripts/vm/boot.sh; Scripts/vm/run-checks.sh sources this file and
# then each check file NN-name.sh, in a fresh working directory under /tmp).
#
# Recording results
#   check NAME CMD [ARGS...]    run CMD (one argument: evaluated as shell code in the current shell, so
#                               assignments stick; several: run as a command) and record ok/FAIL; on
#                               failure print the command, its exit status, stdout and stderr
#   check_eq NAME EXPECTED ACTUAL   record ok when both strings are equal, else FAIL with a diff
#   check_fails NAME STATUS MESSAGE CMD [ARGS...]   run CMD (as check does) and record ok only when it
#                               fails with exit status STATUS and its stderr contains MESSAGE (a fixed
#                               string; each line of it is an alternative); else FAIL with the output
#   capture BASE CMD [ARGS...]  run CMD, stdout to BASE.out, stderr to BASE.err, exit status to BASE.rc
#   check_same NAME EXPECTED ACTUAL   compare two captures (BASEs) byte for byte: stdout, stderr and exit
#                               status; FAIL also when EXPECTED itself failed or printed nothing
#   skip NAME REASON            record a skipped check
#   swift_tests FILTER [VAR=VALUE...]   run the Swift Testing tests matching FILTER from the test bundle
#                               with USBIP_SYSTEM_TESTS=1 (and the given variables); one result per test
# Waiting
#   wait_for CODE [TENTHS]      evaluate CODE every 0.1 s until it succeeds (default at most 10 s); its
#                               status says whether it did: check it (check NAME 'wait_for ...')
#   tcp_listening PORT          whether a TCP socket listens on PORT (IPv4 or IPv6)
#   stop_processes NAME         SIGTERM every process named NAME and wait until they are gone (fails when
#                               none ran or one is left after 5 s)
# Devices of the VM (qemu-xhci: stick with serial STICK0001 at SuperSpeed, a USB keyboard)
#   usb_devices                 busids of all USB devices (no root hubs, no interfaces), sorted
#   stick_busid / kbd_busid     busid of the stick / keyboard on the emulated (not vhci) controller
#   usb_snapshot [BUSID...]     one line per device: busid=… idVendor=… … if0=CC/SS/PP … (what cat shows)
#   usb_drivers                 "PATH DRIVER" for every USB device and interface with a driver
#   interface_driver BUSID      driver of the device's first interface (usb-storage, usbhid), or nothing
#   usb_disk BUSID              /dev/sdX of the disk of USB device BUSID (fails when there is none)
#   vhci_disk                   /dev/sdX of a disk behind vhci_hcd (fails when there is none)
#   disk_bytes DEV              size of a block device in bytes
#   vhci_disk_ready BYTES       whether a disk behind vhci_hcd is there, as a block device of BYTES bytes
#                               (a readiness condition for wait_for before reading it)
#   disk_sha256 DEV             sha256 of a whole block device
#   vhci_used_ports             number of vhci ports not free
#   record_files                names of the connection records in /var/run/vhci_hcd (portN), one a line
#   detach_all                  Debian's usbip detach of every vhci port in use, then wait until all are
#                               free and no disk is left behind vhci_hcd; fails when none was in use, a
#                               detach failed or a port or disk stays
#   make_gadget [MiB]           mass-storage gadget on usbip-vudc.0 (sha256 in ./gadget.sha256)
#   remove_gadgets              undo make_gadget
#   kmod NAME                   load a module of the VM's kernel (modprobe -d $USBIP_VM_MODULES)
#   restore_state               put the VM back as it booted (used between check files)
# Variables: USBIP_REPO, USBIP_BIN (the release tools), USBIP_TEST_BUNDLE, USBIP_SWIFT_RUNTIME,
# STICK_SHA256 (file with the stick's sha256), DEBIAN_USBIP=/usr/sbin/usbip, DEBIAN_USBIPD=/usr/sbin/usbipd.

: "${USBIP_RESULTS:=/tmp/job/results}"
: "${USBIP_CHECK_PREFIX:=}"
: "${STICK_SHA256:=/tmp/job/stick.sha256}"
export DEBIAN_USBIP=/usr/sbin/usbip
export DEBIAN_USBIPD=/usr/sbin/usbipd
USB_SYSFS=/sys/bus/usb/devices
VHCI=/sys/devices/platform/vhci_hcd.0
GADGETS=/sys/kernel/config/usb_gadget
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# --- Recording ---------------------------------------------------------------------------------------------

# record STATUS NAME: append one result (ok, FAIL, skip) to the results file and print it.
record() {
    printf '%s\t%s%s\n' "$1" "$USBIP_CHECK_PREFIX" "$2" >> "$USBIP_RESULTS"
    printf '%-4s %s%s\n' "$1" "$USBIP_CHECK_PREFIX" "$2"
}

# show_text LABEL FILE: print a captured output indented, at most 80 lines.
show_text() {
    local lines
    lines=$(wc -l < "$2")
    if [ ! -s "$2" ]; then
        echo "     $1: (empty)"
        return
    fi
    echo "     $1:"
    head -n 80 "$2" | sed 's/^/       | /'
    [ "$lines" -le 80 ] || echo "       | ... ($((lines - 80)) more lines)"
}

# run_captured CMD [ARGS...]: run a check's command (one argument: shell code evaluated in the current shell)
# with stdout and stderr to $check_out and $check_err; its exit status is the command's.
run_captured() {
    check_out=/tmp/.check-$BASHPID.out  # no mktemp: starting a process costs under emulation
    check_err=/tmp/.check-$BASHPID.err
    if [ $# -eq 1 ]; then
        { eval "$1"; } > "$check_out" 2> "$check_err"
    else
        { "$@"; } > "$check_out" 2> "$check_err"
    fi
}

# report_failure NAME WHY RC CMD...: record FAIL for NAME with why, the command, its status and output.
report_failure() {
    local name=$1 why=$2 rc=$3
    shift 3
    record FAIL "$name"
    [ -z "$why" ] || echo "     $why"
    if [ $# -eq 1 ]; then echo "     command: $1"; else echo "     command:$(printf ' %q' "$@")"; fi
    echo "     exit status: $rc"
    show_text stdout "$check_out"
    show_text stderr "$check_err"
}

check() {
    local name=$1 rc
    shift
    run_captured "$@"
    rc=$?
    if [ $rc -eq 0 ]; then
        record ok "$name"
    else
        report_failure "$name" "" "$rc" "$@"
    fi
    return $rc
}

check_fails() {
    local name=$1 want=$2 message=$3 rc why=
    shift 3
    run_captured "$@"
    rc=$?
    if [ $rc -eq 0 ]; then
        why="it succeeded; expected exit status $want"
    elif [ $rc -ne "$want" ]; then
        why="exit status $rc; expected $want"
    elif ! grep -qF -- "$message" "$check_err"; then
        why="stderr does not say: $message"
    fi
    if [ -z "$why" ]; then
        record ok "$name"
        return 0
    fi
    report_failure "$name" "$why" "$rc" "$@"
    return 1
}

capture() {
    local base=$1
    shift
    "$@" > "$base.out" 2> "$base.err"
    echo $? > "$base.rc"
}

# dump_capture BASE: a capture as text that shows every byte (cat -A: ^I tabs, $ line ends, M- high bytes).
dump_capture() {
    echo "exit status $(cat "$1.rc")"
    echo "--- stdout ($(wc -c < "$1.out") bytes)"
    cat -A "$1.out"
    echo "--- stderr ($(wc -c < "$1.err") bytes)"
    cat -A "$1.err"
}

check_same() {
    local name=$1 expected=$2 actual=$3
    if [ "$(cat "$expected.rc")" != 0 ] || [ ! -s "$expected.out" ]; then
        record FAIL "$name"
        echo "     the reference command failed or printed nothing:"
        dump_capture "$expected" | head -n 40 | sed 's/^/       | /'
        return 1
    fi
    check_eq "$name" "$(dump_capture "$expected")" "$(dump_capture "$actual")"
}

check_eq() {
    local name=$1 expected=$2 actual=$3
    if [ "$expected" = "$actual" ]; then
        record ok "$name"
        return 0
    fi
    record FAIL "$name"
    echo "     expected (-) vs actual (+):"
    diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | tail -n +3 | head -n 80 | sed 's/^/       | /'
    return 1
}

skip() {
    record skip "$1 ($2)"
}

swift_tests() {
    local filter=$1 xml log rc results n_failed
    shift
    if [ ! -x "${USBIP_TEST_BUNDLE:-}" ]; then
        record FAIL "swift tests $filter: no test bundle (USBIP_TEST_BUNDLE=${USBIP_TEST_BUNDLE:-})"
        return 1
    fi
    xml=$(mktemp /tmp/swift-xunit.XXXXXX)
    log=$(mktemp /tmp/swift-log.XXXXXX)
    env USBIP_SYSTEM_TESTS=1 NO_COLOR=1 "$@" "$USBIP_TEST_BUNDLE" \
        --testing-library swift-testing --filter "$filter" --xunit-output "$xml" > "$log" 2>&1
    rc=$?
    # One "STATUS<TAB>Module.Suite.test()" line per <testcase> of the xUnit report.
    results=$(awk '
        function attr(line, key) {  # the value of the attribute key="..." (preceded by a space)
            if (match(line, " " key "=\"[^\"]*\"")) return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 4)
            return ""
        }
        function unescape(s) { gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'\''", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s }
        /<testcase / {
            name = unescape(attr($0, "classname")) "." unescape(attr($0, "name")); status = "ok"
            if ($0 ~ /\/>[[:space:]]*$/) { print status "\t" name; name = "" }
            next
        }
        name != "" && /<failure/ { status = "FAIL" }
        name != "" && /<skipped/ { status = "skip" }
        name != "" && /<\/testcase>/ { print status "\t" name; name = "" }
    ' "$xml")
    n_failed=0
    if [ -z "$results" ]; then
        record FAIL "swift tests $filter: no test ran (bundle exit status $rc)"
        n_failed=1
    else
        while IFS=$'\t' read -r status name; do
            record "$status" "swift: $name"
            [ "$status" != FAIL ] || n_failed=$((n_failed + 1))
        done <<< "$results"
        if [ $rc -ne 0 ] && [ $n_failed -eq 0 ]; then
            record FAIL "swift tests $filter: bundle exit status $rc"
            n_failed=1
        fi
    fi
    if [ $n_failed -gt 0 ]; then
        echo "     command: env USBIP_SYSTEM_TESTS=1 NO_COLOR=1$(printf " %q" "$@") $USBIP_TEST_BUNDLE --testing-library swift-testing --filter $filter"
        echo "     exit status: $rc"
        # The test log without the per-test "started" lines and the environment banner.
        grep -v -e '^◇ ' -e '^↳ .*Version' -e '^↳ Target Platform' -e '^↳ OS Version' "$log" > "$log.short"
        show_text "test output" "$log.short"
        rm -f "$log.short"
    fi
    rm -f "$xml" "$log"
    [ $n_failed -eq 0 ]
}

# --- Waiting -----------------------------------------------------------------------------------------------

wait_for() {
    local i=0 limit=${2:-100}
    while [ $i -lt "$limit" ]; do
        eval "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

tcp_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    # /proc/net/tcp{,6}: local_address is ADDR:PORT in hex, st 0A is LISTEN.
    awk -v port=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == port { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

stop_processes() {
    pkill -TERM -x "$1" || { echo "no process named $1 was running" >&2; return 1; }
    wait_for "! pgrep -x '$1' > /dev/null" 50 || { echo "still running after 5 s: $(pgrep -a -x "$1")" >&2; return 1; }
}

# --- Devices -----------------------------------------------------------------------------------------------

# The helpers below read sysfs with `read` (a builtin) rather than $(cat ...): under software emulation every
# process started costs tens of milliseconds.

usb_devices() {
    local d
    for d in "$USB_SYSFS"/*; do
        d=${d##*/}
        case "$d" in usb* | *:*) continue ;; esac
        echo "$d"
    done | sort
}

# on_vhci BUSID: whether the device is on a vhci_hcd bus (an imported device) rather than the real controller.
on_vhci() {
    local busnum hub
    read -r busnum < "$USB_SYSFS/$1/busnum" || return 1
    for hub in /sys/devices/platform/vhci_hcd.*/usb*; do
        [ "${hub##*/usb}" = "$busnum" ] && return 0
    done
    return 1
}

stick_busid() {
    local b serial
    for b in $(usb_devices); do
        serial=
        read -r serial 2>/dev/null < "$USB_SYSFS/$b/serial"
        if [ "$serial" = STICK0001 ] && ! on_vhci "$b"; then
            echo "$b"
            return 0
        fi
    done
    return 1
}

kbd_busid() {
    local b class protocol
    for b in $(usb_devices); do
        # HID class interface with the boot keyboard protocol (03/01/01).
        class='' protocol=''
        read -r class 2>/dev/null < "$USB_SYSFS/$b/$b:1.0/bInterfaceClass"
        read -r protocol 2>/dev/null < "$USB_SYSFS/$b/$b:1.0/bInterfaceProtocol"
        if [ "$class" = 03 ] && [ "$protocol" = 01 ] && ! on_vhci "$b"; then
            echo "$b"
            return 0
        fi
    done
    return 1
}

# usb_snapshot [BUSID...]: the attributes USB/IP cares about, as the kernel shows them (`read` trims the
# blanks of bNumInterfaces' "%2d"). Interfaces are those of the active configuration: ifN=Class/SubClass/Protocol.
usb_snapshot() {
    local b a v line config i c s p
    # shellcheck disable=SC2046 # busids are single words
    [ $# -gt 0 ] || set -- $(usb_devices)
    for b in "$@"; do
        line="busid=$b"
        for a in idVendor idProduct speed bDeviceClass bDeviceSubClass bDeviceProtocol bConfigurationValue bNumInterfaces busnum devnum; do
            v=
            read -r v 2>/dev/null < "$USB_SYSFS/$b/$a"
            line="$line $a=$v"
        done
        config=
        read -r config 2>/dev/null < "$USB_SYSFS/$b/bConfigurationValue"
        for i in "$USB_SYSFS/$b/$b:$config".*; do
            [ -e "$i/bInterfaceClass" ] || continue
            read -r c < "$i/bInterfaceClass"
            read -r s < "$i/bInterfaceSubClass"
            read -r p < "$i/bInterfaceProtocol"
            line="$line if${i##*.}=$c/$s/$p"
        done
        echo "$line"
    done
}

# usb_drivers: "PATH DRIVER" for every USB device and interface that has a driver bound.
usb_drivers() {
    find "$USB_SYSFS"/*/driver -maxdepth 0 -printf '%h %l\n' 2>/dev/null | sed 's| [^ ]*/| |'
}

interface_driver() {
    local link
    link=$(readlink "$USB_SYSFS/$1/$1:1.0/driver" 2>/dev/null) || return 0
    echo "${link##*/}"
}

usb_disk() {
    local d
    for d in /sys/block/sd*; do
        [ -e "$d" ] || continue
        case "$(readlink -f "$d")" in */"$1"/"$1":*) echo "/dev/${d##*/}"; return 0 ;; esac
    done
    return 1
}

vhci_disk() {
    local d
    for d in /sys/block/sd*; do
        [ -e "$d" ] || continue
        case "$(readlink -f "$d")" in *vhci_hcd*) echo "/dev/${d##*/}"; return 0 ;; esac
    done
    return 1
}

disk_bytes() {
    local sectors
    read -r sectors < "/sys/class/block/${1#/dev/}/size" || return 1
    echo $((sectors * 512))
}

vhci_disk_ready() {
    local disk
    disk=$(vhci_disk) && [ -b "$disk" ] && [ "$(disk_bytes "$disk")" = "$1" ]
}

disk_sha256() {
    dd if="$1" bs=1M status=none | sha256sum | cut -d' ' -f1
}

# vhci_ports STATES: "PORT STATE" for every vhci port whose state (three digits: 004 free, 005 initializing,
# 006 in use, 007 error) matches the pattern STATES.
vhci_ports() {
    local f hub port sta rest
    for f in "$VHCI"/status*; do
        [ -e "$f" ] || continue
        while read -r hub port sta rest; do
            case "$hub" in hs | ss) ;; *) continue ;; esac
            # shellcheck disable=SC2254 # STATES is a pattern
            case "$sta" in $1) echo "$((10#$port)) $sta" ;; esac
        done < "$f"
    done
}

vhci_used_ports() {
    local n=0 line
    while read -r line; do [ -z "$line" ] || n=$((n + 1)); done < <(vhci_ports '00[567]')
    echo "$n"
}

record_files() {
    local f
    for f in /var/run/vhci_hcd/port*; do [ -e "$f" ] && echo "${f##*/}"; done
    return 0
}

detach_all() {
    local port sta n=0 failed=0
    while read -r port sta; do
        [ -n "$port" ] || continue
        n=$((n + 1))
        "$DEBIAN_USBIP" detach -p "$port" > /dev/null 2>&1 || { echo "usbip detach -p $port failed" >&2; failed=1; }
    done < <(vhci_ports '00[567]')
    [ $n -gt 0 ] || { echo "no vhci port was in use" >&2; return 1; }
    wait_for '[ "$(vhci_used_ports)" = 0 ]' 100 || { echo "vhci ports still in use: $(vhci_ports '00[567]' | tr '\n' ' ')" >&2; return 1; }
    wait_for '! vhci_disk > /dev/null' 100 || { echo "a disk is left behind vhci_hcd: $(vhci_disk)" >&2; return 1; }
    return $failed
}

make_gadget() {
    local g=$GADGETS/g1 img=/tmp/gadget.img
    kmod usb_f_mass_storage &&
        head -c $((${1:-16} * 1048576)) /dev/urandom > "$img" &&
        sha256sum "$img" | cut -d' ' -f1 > gadget.sha256 &&
        mkdir -p "$g/strings/0x409" "$g/configs/c.1/strings/0x409" "$g/functions/mass_storage.0" &&
        echo 0x1d6b > "$g/idVendor" &&
        echo 0x0104 > "$g/idProduct" &&
        echo GADGET0001 > "$g/strings/0x409/serialnumber" &&
        echo "$img" > "$g/functions/mass_storage.0/lun.0/file" &&
        ln -s "$g/functions/mass_storage.0" "$g/configs/c.1/" &&
        echo usbip-vudc.0 > "$g/UDC"
}

remove_gadgets() {
    local g c udc
    for g in "$GADGETS"/*/; do
        [ -d "$g" ] || continue
        g=${g%/}
        udc=
        read -r udc 2>/dev/null < "$g/UDC"
        [ -z "$udc" ] || echo "" > "$g/UDC"
        for c in "$g"/configs/*/; do
            [ -d "$c" ] || continue
            find "$c" -maxdepth 1 -type l -exec rm -f {} +
            rmdir "$c"/strings/* 2>/dev/null
            rmdir "$c" 2>/dev/null
        done
        rmdir "$g"/functions/* "$g"/strings/* 2>/dev/null
        rmdir "$g" || return 1
    done
}

kmod() {
    grep -q "^${1//-/_} " /proc/modules || modprobe -d "${USBIP_VM_MODULES:-/run/vm/modules}" "$1"
}

# --- Restoring the VM between check files -----------------------------------------------------------------

# restore_state: undo what a check file may have left: gadgets, vhci attachments, devices bound to
# usbip-host, de-authorized devices, unloaded modules, replaced hosts files, qdiscs, veth links and network
# namespaces. Prints
# what it could not restore and fails then. (Processes are stopped by Scripts/vm/run-checks.sh.)
restore_state() {
    local problems="" b m port sta v host=/sys/bus/usb/drivers/usbip-host
    local -a left=()
    remove_gadgets || problems="$problems; a gadget could not be removed"
    for m in usbip-core usbip-host vhci-hcd usbip-vudc; do
        kmod "$m" || problems="$problems; module $m could not be loaded"
    done
    # Detach every vhci port in use (global port numbers, written to vhci_hcd.0/detach).
    while read -r port sta; do
        [ -n "$port" ] && echo "$port" > "$VHCI/detach" 2>/dev/null
    done < <(vhci_ports '00[67]')
    wait_for '[ "$(vhci_used_ports)" = 0 ]' 50 || problems="$problems; vhci ports still in use: $(vhci_ports '00[567]' | tr '\n' ' ')"
    # Give devices bound to usbip-host back to their drivers. `rebind` (needs the busid still in match_busid)
    # releases the device and probes the other drivers; if that fails: unbind, forget, probe.
    for b in "$host"/*-*; do
        [ -e "$b" ] || continue
        b=${b##*/}
        echo "$b" > "$host/rebind" 2>/dev/null
        if [ -e "$host/$b" ]; then
            echo "$b" > "$host/unbind" 2>/dev/null
            echo "del $b" > "$host/match_busid" 2>/dev/null
            echo "$b" > /sys/bus/usb/drivers_probe 2>/dev/null
        fi
    done
    read -r -a left 2>/dev/null < "$host/match_busid"
    for b in "${left[@]}"; do echo "del $b" > "$host/match_busid" 2>/dev/null; done
    for b in "$USB_SYSFS"/*; do
        v=
        read -r v 2>/dev/null < "$b/authorized"
        [ "$v" != 0 ] || echo 1 > "$b/authorized"
    done
    # The TCP wrappers checks bind test files over /etc/hosts.deny and /etc/hosts.allow.
    for b in /etc/hosts.deny /etc/hosts.allow; do
        ! mountpoint -q "$b" || umount "$b" || problems="$problems; $b stays replaced (bind mount)"
    done
    tc qdisc del dev lo root 2>/dev/null
    # Network interfaces that were not there at boot (veth pairs; USBIP_BASE_NETDEVS is set by the runner).
    for b in /sys/class/net/*; do
        case " lo ${USBIP_BASE_NETDEVS:-} " in *" ${b##*/} "*) continue ;; esac
        ip link del "${b##*/}" 2>/dev/null
    done
    for b in /run/netns/*; do
        [ -e "$b" ] && ip netns del "${b##*/}"
    done
    wait_for 'stick_busid > /dev/null && kbd_busid > /dev/null' 100 || problems="$problems; the stick or the keyboard did not come back"
    for b in "$host"/*-*; do
        [ -e "$b" ] && problems="$problems; ${b##*/} is still bound to usbip-host"
    done
    [ -z "$problems" ] && return 0
    echo "${problems#; }"
    return 1
}
