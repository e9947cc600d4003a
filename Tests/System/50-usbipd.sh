# shellcheck shell=bash
# 50-usbipd: our usbipd serves Debian's C client: list -r, attach (the stick's data read intact through
# vhci_hcd), detach and attach again; TCP wrappers deny and allow; 1000 hostile connections do not stop a good
# client nor leak descriptors; -D reports a taken port on stderr with exit status 1; SIGTERM removes the pid
# file; -e exports a mass-storage gadget that Debian's `usbip attach -d` reads intact.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

usbipd=$USBIP_BIN/usbipd
usbip=$USBIP_BIN/usbip
stick=$(stick_busid)
pidfile=/run/usbipd-test.pid
kmod usbip-host
kmod vhci-hcd
check "the stick is present" test -n "$stick"

fd_count() { local n=0 f; for f in /proc/"$1"/fd/*; do [ -e "$f" ] || [ -L "$f" ] && n=$((n + 1)); done; echo "$n"; }
detach_all() {
    local port sta
    while read -r port sta; do
        [ -n "$port" ] && "$DEBIAN_USBIP" detach -p "$port" > /dev/null 2>&1
    done < <(vhci_ports '00[567]')
    wait_for '[ "$(vhci_used_ports)" = 0 ]' 100
}
# attach_and_read NAME ARGS...: C attach with ARGS, wait for the vhci disk, print its sha256.
attach_and_read() {
    "$DEBIAN_USBIP" attach -r 127.0.0.1 "$@" || return 1
    wait_for 'vhci_disk > /dev/null' 150 || return 1
    sleep 0.5
    disk_sha256 "$(vhci_disk)"
}

# --- (1) -D, pid file, list, attach, read, detach, attach again ---------------------------------------------
check "our usbipd -D -P$pidfile starts (exit 0)" "$usbipd" -D -P"$pidfile"
pid=$(cat "$pidfile" 2>/dev/null)
check "the pid file names a running usbipd" '[ -n "$pid" ] && grep -q usbipd "/proc/$pid/comm"'
check "our usbip bind -b $stick" "$usbip" bind -b "$stick"
check "Debian's usbip list -r 127.0.0.1 lists the stick" \
    '"$DEBIAN_USBIP" list -r 127.0.0.1 > list.txt && grep -q " $stick: " list.txt'
sha=$(attach_and_read -b "$stick")
check_eq "the stick read through vhci_hcd (C attach from our usbipd) has the stick's sha256" "$(cat "$STICK_SHA256")" "$sha"
check "Debian's usbip list -r no longer lists the imported stick" \
    '"$DEBIAN_USBIP" list -r 127.0.0.1 > list2.txt; ! grep -q " $stick: " list2.txt'
check "Debian's usbip detach" detach_all
check "the stick is available again" "wait_for '[ \"\$(cat $USB_SYSFS/$stick/usbip_status)\" = 1 ]' 100"
sha=$(attach_and_read -b "$stick")
check_eq "a second attach reads the same data" "$(cat "$STICK_SHA256")" "$sha"
check "second detach" detach_all
wait_for '[ "$(cat "$USB_SYSFS/$stick/usbip_status")" = 1 ]' 100

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
for i in range(1000):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", 3240))
        data = kinds[i % len(kinds)]
        if data:
            s.sendall(data)
    except OSError as e:
        print("connection", i, "failed:", e, file=sys.stderr)
    open_socks.append(s)
    if len(open_socks) > 300:
        open_socks.pop(0).close()
time.sleep(4)
for s in open_socks:
    s.close()
PY
idle_fds=$(fd_count "$pid")
python3 hostile.py 2> hostile.err &
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
echo "good client during the flood: $good ok, $bad failed; idle fds $idle_fds"
check "the hostile client made its 1000 connections" '! [ -s hostile.err ] || { cat hostile.err; false; }'
check "Debian's usbip list -r kept succeeding during 1000 hostile connections ($good ok)" \
    '[ "$good" -gt 0 ] && [ "$bad" = 0 ] || { cat bad.txt; false; }'
check "usbipd is still alive" kill -0 "$pid"
check "usbipd's descriptors return to the idle level ($idle_fds)" \
    "wait_for '[ \"\$(fd_count $pid)\" -le $idle_fds ]' 100 || { ls -l /proc/$pid/fd; false; }"
check "and it still answers" '"$DEBIAN_USBIP" list -r 127.0.0.1 | grep -q " $stick: "'

# --- (4) SIGTERM removes the pid file; -D with the port taken -----------------------------------------------
check "SIGTERM stops usbipd and removes its pid file" \
    "kill -TERM $pid && wait_for '! kill -0 $pid 2>/dev/null' 50 && ! [ -e $pidfile ]"

# --- (2) TCP wrappers, in the foreground with stderr to a file --------------------------------------------
"$usbipd" -4 2> fg.log &
fg=$!
check "our usbipd runs in the foreground and logs 'listening on'" "wait_for 'grep -q \"listening on 0.0.0.0:3240\" fg.log' 50"
"$usbipd" -D -4 > taken.out 2> taken.err
rc=$?
check_eq "usbipd -D with port 3240 taken exits 1" 1 "$rc"
check "... and says why on stderr" 'grep -q "Address already in use" taken.err || { cat taken.err; false; }'
if [ -e /etc/hosts.deny ] && [ -e /etc/hosts.allow ]; then
    echo "usbipd: ALL" > /tmp/hosts.deny.test
    : > /tmp/hosts.allow.test
    mount --bind /tmp/hosts.deny.test /etc/hosts.deny && mount --bind /tmp/hosts.allow.test /etc/hosts.allow
    check "hosts.deny 'usbipd: ALL' makes Debian's usbip list -r fail" '! "$DEBIAN_USBIP" list -r 127.0.0.1'
    check "usbipd logs the denial" 'grep -q "usbipd: info: denied access from 127.0.0.1" fg.log || { cat fg.log; false; }'
    echo "usbipd: 127.0.0.1" > /tmp/hosts.allow.test
    check "hosts.allow 'usbipd: 127.0.0.1' lets it in again" '"$DEBIAN_USBIP" list -r 127.0.0.1 | grep -q " $stick: "'
    umount /etc/hosts.allow
    umount /etc/hosts.deny
else
    skip "TCP wrappers" "/etc/hosts.deny or /etc/hosts.allow missing and / is read-only"
fi
kill -TERM "$fg"
wait "$fg"
check_eq "the foreground usbipd exits 0 on SIGTERM" 0 "$?"
check "and logs 'shutting down usbipd'" 'grep -q "usbipd: info: shutting down usbipd" fg.log'
"$usbip" unbind -b "$stick" > /dev/null 2>&1

# --- (5) -e: a mass-storage gadget on usbip-vudc.0 --------------------------------------------------------
kmod usbip-vudc
if make_gadget 16; then
    check "our usbipd -D -e starts" "$usbipd" -D -e -P/run/usbipd-e.pid
    epid=$(cat /run/usbipd-e.pid 2>/dev/null)
    check "Debian's usbip list -r shows the gadget's ids" \
        '"$DEBIAN_USBIP" list -r 127.0.0.1 > elist.txt && grep -q "1d6b:0104" elist.txt || { cat elist.txt; false; }'
    sha=$(attach_and_read -d usbip-vudc.0)
    check_eq "the gadget read through vhci_hcd has the image's sha256" "$(cat gadget.sha256)" "$sha"
    detach_all
    [ -n "$epid" ] && kill -TERM "$epid"
    check "the -e daemon exits on SIGTERM and removes its pid file" \
        "wait_for '! kill -0 $epid 2>/dev/null' 50 && ! [ -e /run/usbipd-e.pid ]"
else
    record FAIL "make_gadget (usbip-vudc.0)"
fi

# --- Clean-up ---------------------------------------------------------------------------------------------
detach_all
remove_gadgets
"$usbip" unbind -b "$stick" > /dev/null 2>&1
for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = usbipd ] && kill -TERM "${p#/proc/}"; done
mountpoint -q /etc/hosts.deny && umount /etc/hosts.deny
mountpoint -q /etc/hosts.allow && umount /etc/hosts.allow
true
