# shellcheck shell=bash
# 50-usbipd: our usbipd serves Debian's C client: list -r, attach (the stick's data read intact through
# vhci_hcd), detach and attach again; a second usbipd with the same pid file is refused and leaves the file;
# SIGHUP does not end usbipd; TCP wrappers deny and allow; 1000 hostile connections do not stop a good
# client nor leak descriptors; -D reports a taken port on stderr with exit status 1; SIGTERM removes the pid
# file; -e exports a mass-storage gadget that Debian's `usbip attach -d` reads intact.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

usbipd=$USBIP_BIN/usbipd
usbip=$USBIP_BIN/usbip
stick=$(stick_busid)
pidfile=/run/usbipd-test.pid
check "usbip-host and vhci-hcd are loaded" 'kmod usbip-host && kmod vhci-hcd'
check "the stick is present" test -n "$stick"
stick_disk=$(usb_disk "$stick")
check "the stick has its own disk" test -b "$stick_disk"
stick_bytes=$(disk_bytes "$stick_disk")

fd_count() { local n=0 f; for f in /proc/"$1"/fd/*; do [ -e "$f" ] || [ -L "$f" ] && n=$((n + 1)); done; echo "$n"; }
# attach_and_read WHAT BYTES SHA256 ARGS...: Debian's usbip attach -r 127.0.0.1 ARGS, then the disk that
# appears behind vhci_hcd has BYTES bytes and reads back as SHA256 (three checks).
attach_and_read() {
    local what=$1 bytes=$2 sha=$3
    shift 3
    check "Debian's usbip attach of $what from our usbipd" "$DEBIAN_USBIP" attach -r 127.0.0.1 "$@" || return 1
    check "a vhci disk of $what's size ($bytes bytes) appears" "wait_for 'vhci_disk_ready $bytes' 150" || return 1
    check_eq "$what read through vhci_hcd has its sha256" "$sha" "$(disk_sha256 "$(vhci_disk)")"
}

# --- (1) -D, pid file, list, attach, read, detach, attach again ---------------------------------------------
check "our usbipd -D -P$pidfile starts (exit 0)" "$usbipd" -D -P"$pidfile"
check "it listens on port 3240" 'wait_for "tcp_listening 3240" 50'
pid=$(cat "$pidfile" 2>/dev/null)
check "the pid file names a running usbipd" '[ -n "$pid" ] && grep -q usbipd "/proc/$pid/comm"'
check_fails "a second usbipd -D with the same pid file (port 3250) exits 1: the file is locked" 1 \
    "pid file $pidfile is locked by running process $pid" "$usbipd" -D -t 3250 -P"$pidfile"
check_eq "the pid file still names the first usbipd" "$pid" "$(cat "$pidfile" 2>/dev/null)"
check "nothing listens on port 3250" '! tcp_listening 3250'
check "usbipd survives SIGHUP" "kill -HUP $pid && kill -0 $pid"
check "our usbip bind -b $stick" "$usbip" bind -b "$stick"
check_eq "the stick is on usbip-host" usbip-host "$(basename "$(readlink -f "$USB_SYSFS/$stick/driver")")"
check "Debian's usbip list -r 127.0.0.1 lists the stick" \
    '"$DEBIAN_USBIP" list -r 127.0.0.1 > list.txt && grep -q " $stick: " list.txt'
check "and still runs after answering (SIGHUP did not end it)" kill -0 "$pid"
attach_and_read "the stick" "$stick_bytes" "$(cat "$STICK_SHA256")" -b "$stick"
check "Debian's usbip list -r then finds no exportable device (the stick is in use)" \
    '"$DEBIAN_USBIP" list -r 127.0.0.1 > list2.txt 2>&1 && grep -q "no exportable devices found on 127.0.0.1" list2.txt && ! grep -q " $stick: " list2.txt'
check "Debian's usbip detach" detach_all
check "the stick is available again" "wait_for '[ \"\$(cat $USB_SYSFS/$stick/usbip_status)\" = 1 ]' 100"
attach_and_read "the stick, attached a second time," "$stick_bytes" "$(cat "$STICK_SHA256")" -b "$stick"
check "second detach" detach_all
check "the stick is available once more" "wait_for '[ \"\$(cat $USB_SYSFS/$stick/usbip_status)\" = 1 ]' 100"

# --- (3) hostile peers while a good client works ----------------------------------------------------------
cat > hostile.py <<'PY'
import socket, struct, sys, time
kinds = [
    b"\x5a" * 64,                                   # garbage
    b"\x01\x11\x80",                                # truncated header
    b"\x01\x11\x80\x03\x00\x00\x00\x00" + b"1-",    # truncated import
    b"\x01\x00\x80\x05\x00\x00\x00\x00",            # wrong version
    b"\x01\x11\x00\x05\x00\x00\x00\x00" + struct.pack(">I", 0xFFFFFFFF),  # reply-shaped, huge count
    b"\x01\x11\x80\x05\x00\x00\x00\x00" + struct.pack(">I", 0xFFFFFFFF),  # devlist + junk
    b"",                                            # silent (slowloris)
]
open_socks = []
connected = 0
for i in range(1000):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", 3240))
        data = kinds[i % len(kinds)]
        if data:
            s.sendall(data)
        connected += 1
    except OSError as e:
        print("connection", i, "failed:", e, file=sys.stderr)
    open_socks.append(s)
    if len(open_socks) > 300:
        open_socks.pop(0).close()
time.sleep(4)
for s in open_socks:
    s.close()
print("connected", connected)
PY
idle_fds=$(fd_count "$pid")
python3 hostile.py > hostile.out 2> hostile.err &
hostile=$!
good=0 bad=0
while kill -0 "$hostile" 2> /dev/null; do
    if "$DEBIAN_USBIP" list -r 127.0.0.1 > good.txt 2>&1 && grep -q " $stick: " good.txt; then
        good=$((good + 1))
    else
        bad=$((bad + 1)); cp good.txt bad.txt
    fi
done
wait "$hostile"
hostile_rc=$?
echo "good client during the flood: $good ok, $bad failed; idle fds $idle_fds"
check_eq "the hostile client made its 1000 connections (exit status, output)" \
    "0 connected 1000" "$hostile_rc $(cat hostile.out hostile.err)"
check "Debian's usbip list -r kept succeeding during 1000 hostile connections ($good ok)" \
    '[ "$good" -gt 0 ] && [ "$bad" = 0 ] || { cat bad.txt; false; }'
check "usbipd is still alive" kill -0 "$pid"
check "usbipd's descriptors return to the idle level ($idle_fds)" \
    "wait_for '[ \"\$(fd_count $pid)\" -le $idle_fds ]' 100 || { ls -l /proc/$pid/fd; false; }"
check "and it still answers" '"$DEBIAN_USBIP" list -r 127.0.0.1 > after.txt && grep -q " $stick: " after.txt'

# --- (4) SIGTERM removes the pid file; -D with the port taken -----------------------------------------------
check "SIGTERM stops usbipd and removes its pid file" \
    "kill -TERM $pid && wait_for '! kill -0 $pid 2>/dev/null' 50 && ! [ -e $pidfile ]"

# --- (2) TCP wrappers, in the foreground with stderr to a file --------------------------------------------
"$usbipd" -4 2> fg.log &
fg=$!
check "our usbipd runs in the foreground and logs 'listening on'" "wait_for 'grep -q \"listening on 0.0.0.0:3240\" fg.log' 50"
check_fails "usbipd -D with port 3240 taken exits 1 and says why on stderr" 1 "Address already in use" "$usbipd" -D -4
# libwrap0 (a build dependency: Scripts/build-deps) creates both files; / is read-only, so they cannot be made here.
if check "/etc/hosts.deny and /etc/hosts.allow exist (libwrap0 creates them)" 'test -e /etc/hosts.deny && test -e /etc/hosts.allow'; then
    echo "usbipd: ALL" > /tmp/hosts.deny.test
    : > /tmp/hosts.allow.test
    check "test rules replace hosts.deny and hosts.allow (bind mounts)" \
        'mount --bind /tmp/hosts.deny.test /etc/hosts.deny && mount --bind /tmp/hosts.allow.test /etc/hosts.allow'
    check_fails "hosts.deny 'usbipd: ALL' makes Debian's usbip list -r fail" 1 \
        "failed to get device list from 127.0.0.1" "$DEBIAN_USBIP" list -r 127.0.0.1
    check "usbipd logs the denial" 'grep -q "usbipd: info: denied access from 127.0.0.1" fg.log || { cat fg.log; false; }'
    echo "usbipd: 127.0.0.1" > /tmp/hosts.allow.test
    check "hosts.allow 'usbipd: 127.0.0.1' lets it in again" \
        '"$DEBIAN_USBIP" list -r 127.0.0.1 > allowed.txt && grep -q " $stick: " allowed.txt'
    check "the real hosts files are back" 'umount /etc/hosts.allow && umount /etc/hosts.deny'
fi
kill -TERM "$fg"
wait "$fg"
check_eq "the foreground usbipd exits 0 on SIGTERM" 0 "$?"
check "and logs 'shutting down usbipd'" 'grep -q "usbipd: info: shutting down usbipd" fg.log'
check "our usbip unbind -b $stick" "$usbip" unbind -b "$stick"
check "the stick is back on usb-storage" 'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100'

# --- (5) -e: a mass-storage gadget on usbip-vudc.0 --------------------------------------------------------
gadget_mib=16
check "usbip-vudc is loaded" kmod usbip-vudc
if check "a mass-storage gadget binds to usbip-vudc.0" make_gadget "$gadget_mib"; then
    check "our usbipd -D -e starts" "$usbipd" -D -e -P/run/usbipd-e.pid
    check "it listens on port 3240" 'wait_for "tcp_listening 3240" 50'
    epid=$(cat /run/usbipd-e.pid 2>/dev/null)
    check "Debian's usbip list -r shows the gadget's ids" \
        '"$DEBIAN_USBIP" list -r 127.0.0.1 > elist.txt && grep -q "1d6b:0104" elist.txt || { cat elist.txt; false; }'
    attach_and_read "the gadget" $((gadget_mib * 1048576)) "$(cat gadget.sha256)" -d usbip-vudc.0
    check "Debian's usbip detach of the gadget" detach_all
    check "the -e daemon exits on SIGTERM and removes its pid file" \
        "[ -n '$epid' ] && kill -TERM '$epid' && wait_for '! kill -0 $epid 2>/dev/null' 50 && ! [ -e /run/usbipd-e.pid ]"
    check "the gadget is removed" remove_gadgets
fi

# --- At the end -------------------------------------------------------------------------------------------
check_eq "no vhci port is in use at the end" 0 "$(vhci_used_ports)"
check "no usbipd is left running" '! pgrep -a -x usbipd'
check "the stick is on usb-storage at the end" '[ "$(interface_driver "$stick")" = usb-storage ]'
