# shellcheck shell=bash
# 60-connect: the reverse direction (usbip-next's connect/disconnect with our usbipa), on one machine over
# 127.0.0.1: the stick is exported by `usbip connect` into this machine's vhci_hcd, read back through it
# (sha256), withdrawn with `usbip disconnect` and handed back to usb-storage; a connect without usbipa fails
# clearly and leaves the stick alone; usbipa survives SIGHUP and refuses, with status 1 and before attaching,
# exports whose speed, bus or device number vhci_hcd cannot take; and both directions run at once next to
# Debian's C usbipd/usbip.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

usbip=$USBIP_BIN/usbip
usbipa=$USBIP_BIN/usbipa
pidfile=/run/usbipa-test.pid
stick=$(stick_busid)
kbd=$(kbd_busid)
read -r expected_sha _ < "$STICK_SHA256"

# stop_pidfile FILE: TERM the daemon whose pid FILE holds and wait until it is gone (fails when FILE names
# no running process, or it outlives 5 s).
stop_pidfile() {
    local pid
    read -r pid 2>/dev/null < "$1" || { echo "no pid file $1" >&2; return 1; }
    kill -TERM "$pid" || return 1
    wait_for "! kill -0 $pid 2>/dev/null" 50 || { echo "$pid still runs 5 s after SIGTERM" >&2; return 1; }
}

check "the stick is on the emulated controller" test -n "$stick"
check_eq "the stick starts on usb-storage" usb-storage "$(interface_driver "$stick")"
stick_disk=$(usb_disk "$stick")
check "the stick has its own disk" test -b "$stick_disk"
stick_bytes=$(disk_bytes "$stick_disk")
check_eq "no connection record at the start" "" "$(record_files)"

# --- (1) connect through our usbipa ------------------------------------------------------------------------
check "usbipa -D starts" "$usbipa" -D "-P$pidfile"
check "usbipa writes its pid file and runs" 'wait_for "[ -s $pidfile ]" 50 && kill -0 "$(cat "$pidfile")"'
check "usbipa listens on port 3240" 'wait_for "tcp_listening 3240" 50'
check "usbipa survives SIGHUP" 'kill -HUP "$(cat "$pidfile")" && kill -0 "$(cat "$pidfile")"'
# export.py PORT SPEED BUSNUM DEVNUM [N]: an OP_REQ_EXPORT of a made-up device 9-9; prints the reply in hex:
# everything until the daemon closes, or only the first N bytes (then closes: after a reply of success the
# connection is vhci_hcd's URB stream, and closing it makes vhci_hcd detach the port).
cat > export.py <<'PY'
import socket, struct, sys
port, speed, busnum, devnum = (int(a) for a in sys.argv[1:5])
record = (b"/sys/devices/pci0000:00/0000:00:04.0/usb2/9-9".ljust(256, b"\0") + b"9-9".ljust(32, b"\0")
          + struct.pack(">III", busnum, devnum, speed) + struct.pack(">HHH", 0x46F4, 0x0001, 0x0100)
          + bytes([0, 0, 0, 1, 1, 1]))
s = socket.create_connection(("127.0.0.1", port), 5)
s.settimeout(5)
s.sendall(struct.pack(">HHI", 0x0111, 0x8006, 0) + record)
limit = int(sys.argv[5]) if len(sys.argv) > 5 else None
reply = b""
while limit is None or len(reply) < limit:
    chunk = s.recv(64 if limit is None else limit - len(reply))
    if not chunk:
        break
    reply += chunk
s.close()
print(reply.hex())
PY
refused_speeds_before=$(dmesg | grep -c "unsupported USB speed")
for bad in "0 9 9" "7 9 9" "4294967295 9 9" "3 65536 9" "3 9 0"; do
    # shellcheck disable=SC2086
    check_eq "usbipa refuses an export of speed/bus/device $bad with status 1 and closes" \
        0111000600000001 "$(python3 export.py 3240 $bad 2>&1)"
done
check_eq "no vhci port was taken by the refused exports" 0 "$(vhci_used_ports)"
check_eq "vhci_hcd was never asked to attach them (no 'unsupported USB speed' in dmesg)" \
    "$refused_speeds_before" "$(dmesg | grep -c "unsupported USB speed")"
# SuperSpeedPlus (6): vhci_hcd of kernels before the 2024 fix refuses it (EINVAL), so usbipa attaches such a
# device as SuperSpeed (5) rather than failing after its reply of success.
check_eq "a SuperSpeedPlus export is answered with status 0" 0111000600000000 "$(python3 export.py 3240 6 9 9 8 2>&1)"
check "vhci_hcd attached it (devid 9/9) at speed 6, or 5 where it does not take 6" \
    'wait_for "dmesg | grep -Eq \"devid\\(589833\\) speed\\((5|6)\\)\"" 50'
check "its port is free again once the connection is closed" 'wait_for "[ \"\$(vhci_used_ports)\" = 0 ]" 100'
check "usbipa still runs after the refused exports and SIGHUP" 'kill -0 "$(cat "$pidfile")"'
check "usbip connect -r 127.0.0.1 -b STICK succeeds" "$usbip" connect -r 127.0.0.1 -b "$stick"
check "a disk of the stick's size appears behind vhci_hcd" 'wait_for "vhci_disk_ready $stick_bytes" 200'
disk=$(vhci_disk)
check_eq "the disk behind vhci_hcd reads the stick's sha256" "$expected_sha" "$(disk_sha256 "$disk" 2>&1)"
check_eq "one vhci port is in use" 1 "$(vhci_used_ports)"
capture port "$usbip" port
check "usbip port shows the stick with its peer 127.0.0.1" \
    '[ "$(cat port.rc)" = 0 ] && grep -Eq "usbip://127\.0\.0\.1:[0-9]+/$stick\$" port.out'
check "the record names 127.0.0.1, a source port and the stick" \
    'grep -Eq "^127\.0\.0\.1 [0-9]+ $stick\$" /var/run/vhci_hcd/port*'

# --- (2) disconnect -----------------------------------------------------------------------------------------
check "usbip disconnect -r 127.0.0.1 -b STICK succeeds" "$usbip" disconnect -r 127.0.0.1 -b "$stick"
check "the vhci port is free again, its disk gone" 'wait_for "[ \"\$(vhci_used_ports)\" = 0 ] && ! vhci_disk > /dev/null" 100'
check_eq "no record file is left" "" "$(record_files)"
check "the stick is back on usb-storage" 'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100'
check "the stick is no longer bound to usbip-host" '! [ -e /sys/bus/usb/drivers/usbip-host/$stick ]'

# --- (3) connect while usbipa is not running ----------------------------------------------------------------
check "usbipa stops on SIGTERM and removes its pid file" 'stop_pidfile "$pidfile" && ! [ -e "$pidfile" ]'
check_fails "connect without usbipa exits 1 saying usbipa is not running" 1 \
    "cannot connect to 127.0.0.1:3240: Connection refused — is usbipa running there?" \
    "$usbip" connect -r 127.0.0.1 -b "$stick"
check_eq "the stick is still on usb-storage" usb-storage "$(interface_driver "$stick")"
check "the stick is not left bound to usbip-host" '! [ -e /sys/bus/usb/drivers/usbip-host/$stick ]'

# --- (4) both directions at once, next to Debian's C tools --------------------------------------------------
# Debian's usbipd exports the keyboard on 3240 and Debian's usbip attaches it; our usbipa on 3241 receives
# the stick from our usbip connect.
check "the keyboard is on the emulated controller" test -n "$kbd"
check "Debian's usbip binds the keyboard" "$DEBIAN_USBIP" bind -b "$kbd"
check_eq "the keyboard is on usbip-host" usbip-host "$(basename "$(readlink -f "$USB_SYSFS/$kbd/driver")")"
check "Debian's usbipd -D -P starts" "$DEBIAN_USBIPD" -D -P/run/usbipd-c.pid
check "our usbipa -D -t 3241 starts" "$usbipa" -D -t 3241 "-P$pidfile"
check "both listen (3240, 3241) and have written their pid files" \
    "wait_for 'tcp_listening 3240 && tcp_listening 3241 && [ -s $pidfile ] && [ -s /run/usbipd-c.pid ]' 50"
check "Debian's usbip attaches the keyboard from 127.0.0.1" "$DEBIAN_USBIP" attach -r 127.0.0.1 -b "$kbd"
check "our usbip -t 3241 connect carries the stick" "$usbip" -t 3241 connect -r 127.0.0.1 -b "$stick"
check "two vhci ports are in use" 'wait_for "[ \"\$(vhci_used_ports)\" = 2 ]" 100'
check "a disk of the stick's size appears behind vhci_hcd again" 'wait_for "vhci_disk_ready $stick_bytes" 200'
disk=$(vhci_disk)
check_eq "it reads the stick's sha256 while the keyboard is imported too" "$expected_sha" "$(disk_sha256 "$disk" 2>&1)"
capture port2 "$usbip" port
check "usbip port lists the keyboard (Debian's record) and the stick (ours)" \
    '[ "$(cat port2.rc)" = 0 ] && grep -q "usbip://127.0.0.1:3240/$kbd\$" port2.out && grep -Eq "usbip://127\.0\.0\.1:[0-9]+/$stick\$" port2.out'
check "our usbip -t 3241 disconnect withdraws the stick" "$usbip" -t 3241 disconnect -r 127.0.0.1 -b "$stick"
check "one vhci port (the keyboard) stays in use, the disk is gone" \
    'wait_for "[ \"\$(vhci_used_ports)\" = 1 ] && ! vhci_disk > /dev/null" 100'
check "the stick is back on usb-storage again" 'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100'

# Back to one direction: the keyboard returns, both daemons stop.
check "Debian's usbip detaches the keyboard; all vhci ports are free" detach_all
check_eq "no record file is left" "" "$(record_files)"
check "Debian's usbip unbinds the keyboard" "$DEBIAN_USBIP" unbind -b "$kbd"
check "the keyboard is back on usbhid" 'wait_for "[ \"\$(interface_driver $kbd)\" = usbhid ]" 100'
check "our usbipa (3241) stops on SIGTERM" 'stop_pidfile "$pidfile"'
check "Debian's usbipd stops on SIGTERM" 'stop_pidfile /run/usbipd-c.pid'

# --- (5) vUDC: usbip connect -d pushes a gadget (no bind/unbind) ---------------------------------------------
gadget_mib=8
check "a mass-storage gadget binds to usbip-vudc.0" make_gadget "$gadget_mib"
# (port 3242: a port of its own, so that nothing of part 4 can answer)
check "our usbipa -D -t 3242 starts again" "$usbipa" -D -t 3242 "-P$pidfile"
check "it listens on port 3242" 'wait_for "tcp_listening 3242" 50'
check "our usbip connect -d -b usbip-vudc.0 exits 0" "$usbip" -t 3242 connect -r 127.0.0.1 -b usbip-vudc.0 -d
check "a disk of the gadget's size appears behind vhci_hcd" "wait_for 'vhci_disk_ready $((gadget_mib * 1048576))' 200"
check_eq "it reads the gadget's sha256" "$(cat gadget.sha256)" "$(disk_sha256 "$(vhci_disk)" 2>&1)"
check "our usbip disconnect -d withdraws the gadget" "$usbip" -t 3242 disconnect -r 127.0.0.1 -b usbip-vudc.0 -d
check "the vhci port is free again, its disk gone" 'wait_for "[ \"\$(vhci_used_ports)\" = 0 ] && ! vhci_disk > /dev/null" 100'
check_eq "no record file is left after the gadget" "" "$(record_files)"
check "our usbipa (3242) stops on SIGTERM" 'stop_pidfile "$pidfile"'
check "the gadget is removed" remove_gadgets

# --- (6) TCP wrappers under the daemon name usbipa ----------------------------------------------------------
# libwrap0 (a build dependency: Scripts/build-deps) creates both files; / is read-only, so they cannot be made here.
if check "/etc/hosts.deny and /etc/hosts.allow exist (libwrap0 creates them)" 'test -e /etc/hosts.deny && test -e /etc/hosts.allow'; then
    "$usbipa" -4 -t 3243 2> usbipa-fg.log &
    fg=$!
    check "our usbipa runs in the foreground" "wait_for 'grep -q \"listening on 0.0.0.0:3243\" usbipa-fg.log' 50"
    echo "usbipa: ALL" > /tmp/hosts.deny.usbipa
    echo "usbipd: ALL" > /tmp/hosts.allow.usbipa  # a rule for another daemon must not let usbipa's peer in
    check "test rules replace hosts.deny and hosts.allow (bind mounts)" \
        'mount --bind /tmp/hosts.deny.usbipa /etc/hosts.deny && mount --bind /tmp/hosts.allow.usbipa /etc/hosts.allow'
    # usbipa closes the connection unread: the request in flight makes that a reset, or (when the close is
    # seen first) the end of the stream.
    check_fails "hosts.deny 'usbipa: ALL' makes usbip connect fail" 1 \
        $'receive failed: Connection reset by peer\nreceive: the peer closed the connection' \
        "$usbip" -t 3243 connect -r 127.0.0.1 -b "$stick"
    check "usbipa logs the denial" 'grep -q "usbipa: info: denied access from 127.0.0.1" usbipa-fg.log || { cat usbipa-fg.log; false; }'
    check "the refused connect leaves the stick on usb-storage" \
        'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100 && ! [ -e /sys/bus/usb/drivers/usbip-host/$stick ]'
    check_eq "no vhci port was taken" 0 "$(vhci_used_ports)"
    check "the real hosts files are back" 'umount /etc/hosts.allow && umount /etc/hosts.deny'
    kill -TERM "$fg"
    wait "$fg"
    check_eq "the foreground usbipa exits 0 on SIGTERM" 0 "$?"
fi
