# shellcheck shell=bash
# 60-connect: the reverse direction (usbip-next's connect/disconnect with our usbipa), on one machine over
# 127.0.0.1: the stick is exported by `usbip connect` into this machine's vhci_hcd, read back through it
# (sha256), withdrawn with `usbip disconnect` and handed back to usb-storage; a connect without usbipa fails
# clearly and leaves the stick alone; and both directions run at once next to Debian's C usbipd/usbip.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

usbip=$USBIP_BIN/usbip
usbipa=$USBIP_BIN/usbipa
pidfile=/run/usbipa-test.pid
records=/var/run/vhci_hcd
stick=$(stick_busid)
kbd=$(kbd_busid)
read -r expected_sha _ < "$STICK_SHA256"

# interface_driver BUSID: the driver of the device's first interface (usb-storage, usbhid, ...), or nothing.
interface_driver() {
    local link
    link=$(readlink "$USB_SYSFS/$1/$1:1.0/driver" 2>/dev/null) || return 0
    echo "${link##*/}"
}

# stop_pidfile FILE: TERM the daemon whose pid FILE holds and wait until it is gone.
stop_pidfile() {
    local pid
    read -r pid 2>/dev/null < "$1" || return 0
    kill -TERM "$pid" 2>/dev/null
    wait_for "! kill -0 $pid 2>/dev/null" 50
}

# record_files: the names of the connection records left in /var/run/vhci_hcd.
record_files() {
    local f
    for f in "$records"/port*; do [ -e "$f" ] && echo "${f##*/}"; done
}

check "the stick is on the emulated controller" test -n "$stick"
check_eq "the stick starts on usb-storage" usb-storage "$(interface_driver "$stick")"

# --- (1) connect through our usbipa ------------------------------------------------------------------------
rm -f "$records"/port* 2>/dev/null
check "usbipa -D starts" "$usbipa" -D "-P$pidfile"
check "usbipa writes its pid file and runs" 'wait_for "[ -s $pidfile ]" 50 && kill -0 "$(cat "$pidfile")"'
check "usbip connect -r 127.0.0.1 -b STICK succeeds" "$usbip" connect -r 127.0.0.1 -b "$stick"
check "a disk appears behind vhci_hcd" 'wait_for "vhci_disk > /dev/null" 200'
disk=$(vhci_disk)
check_eq "the disk behind vhci_hcd reads the stick's sha256" "$expected_sha" "$(disk_sha256 "$disk" 2>&1)"
check_eq "one vhci port is in use" 1 "$(vhci_used_ports)"
"$usbip" port > port.txt 2>&1
check "usbip port shows the stick with its peer 127.0.0.1" grep -Eq "usbip://127\.0\.0\.1:[0-9]+/$stick\$" port.txt
check "the record names 127.0.0.1, a source port and the stick" \
    'grep -Eq "^127\.0\.0\.1 [0-9]+ $stick\$" "$records"/port*'

# --- (2) disconnect -----------------------------------------------------------------------------------------
check "usbip disconnect -r 127.0.0.1 -b STICK succeeds" "$usbip" disconnect -r 127.0.0.1 -b "$stick"
check "the vhci port is free again" 'wait_for "[ \"\$(vhci_used_ports)\" = 0 ]" 100'
check_eq "no record file is left" "" "$(record_files)"
check "the stick is back on usb-storage" 'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100'
check "the stick is no longer bound to usbip-host" '! [ -e /sys/bus/usb/drivers/usbip-host/$stick ]'

# --- (3) connect while usbipa is not running ----------------------------------------------------------------
check "usbipa stops on SIGTERM and removes its pid file" 'stop_pidfile "$pidfile" && ! [ -e "$pidfile" ]'
"$usbip" connect -r 127.0.0.1 -b "$stick" > refused.out 2> refused.err
check_eq "connect without usbipa exits 1" 1 "$?"
check "it says usbipa is not running" grep -q "cannot connect to 127.0.0.1:3240: Connection refused — is usbipa running there?" refused.err
check_eq "the stick is still on usb-storage" usb-storage "$(interface_driver "$stick")"
check "the stick is not left bound to usbip-host" '! [ -e /sys/bus/usb/drivers/usbip-host/$stick ]'

# --- (4) both directions at once, next to Debian's C tools --------------------------------------------------
# Debian's usbipd exports the keyboard on 3240 and Debian's usbip attaches it; our usbipa on 3241 receives
# the stick from our usbip connect.
check "the keyboard is on the emulated controller" test -n "$kbd"
check "Debian's usbip binds the keyboard" "$DEBIAN_USBIP" bind -b "$kbd"
check "Debian's usbipd -D starts" "$DEBIAN_USBIPD" -D
check "our usbipa -D -t 3241 starts" "$usbipa" -D -t 3241 "-P$pidfile"
wait_for "[ -s $pidfile ] && [ -s /var/run/usbipd.pid ]" 50
check "Debian's usbip attaches the keyboard from 127.0.0.1" "$DEBIAN_USBIP" attach -r 127.0.0.1 -b "$kbd"
check "our usbip -t 3241 connect carries the stick" "$usbip" -t 3241 connect -r 127.0.0.1 -b "$stick"
check "two vhci ports are in use" 'wait_for "[ \"\$(vhci_used_ports)\" = 2 ]" 100'
check "a disk appears behind vhci_hcd again" 'wait_for "vhci_disk > /dev/null" 200'
disk=$(vhci_disk)
check_eq "it reads the stick's sha256 while the keyboard is imported too" "$expected_sha" "$(disk_sha256 "$disk" 2>&1)"
"$usbip" port > port2.txt 2>&1
check "usbip port lists the keyboard (Debian's record) and the stick (ours)" \
    'grep -q "usbip://127.0.0.1:3240/$kbd" port2.txt && grep -Eq "usbip://127\.0\.0\.1:[0-9]+/$stick\$" port2.txt'
check "our usbip -t 3241 disconnect withdraws the stick" "$usbip" -t 3241 disconnect -r 127.0.0.1 -b "$stick"
check "one vhci port (the keyboard) stays in use" 'wait_for "[ \"\$(vhci_used_ports)\" = 1 ]" 100'
check "the stick is back on usb-storage again" 'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100'

# --- Clean-up -----------------------------------------------------------------------------------------------
for port in $(vhci_ports '00[67]' | cut -d' ' -f1); do "$DEBIAN_USBIP" detach -p "$port" > /dev/null 2>&1; done
check "all vhci ports are free at the end" 'wait_for "[ \"\$(vhci_used_ports)\" = 0 ]" 100'
"$DEBIAN_USBIP" unbind -b "$kbd" > /dev/null 2>&1
stop_pidfile "$pidfile"
stop_pidfile /var/run/usbipd.pid
rm -f "$records"/port* 2>/dev/null

# --- (5) vUDC: usbip connect -d pushes a gadget (no bind/unbind) ---------------------------------------------
check "a mass-storage gadget binds to usbip-vudc.0" make_gadget 8
# (port 3242: Debian's usbipd of part 4 may still be closing its 3240 listener)
check "our usbipa -D -t 3242 starts again" "$usbipa" -D -t 3242 "-P$pidfile"
wait_for "[ -s $pidfile ]" 50
check "our usbip connect -d -b usbip-vudc.0 exits 0" "$usbip" -t 3242 connect -r 127.0.0.1 -b usbip-vudc.0 -d
check "a disk appears behind vhci_hcd for the gadget" 'wait_for "vhci_disk > /dev/null" 200'
sleep 0.5
check_eq "it reads the gadget's sha256" "$(cat gadget.sha256)" "$(disk_sha256 "$(vhci_disk)" 2>&1)"
check "our usbip disconnect -d withdraws the gadget" "$usbip" -t 3242 disconnect -r 127.0.0.1 -b usbip-vudc.0 -d
check "the vhci port is free again" 'wait_for "[ \"\$(vhci_used_ports)\" = 0 ]" 100'
check "no record file is left" '! ls "$records"/port* 2>/dev/null | grep -q .'
stop_pidfile "$pidfile"
remove_gadgets

# --- (6) TCP wrappers under the daemon name usbipa ----------------------------------------------------------
if [ -e /etc/hosts.deny ] && [ -e /etc/hosts.allow ]; then
    "$usbipa" -4 -t 3243 2> usbipa-fg.log &
    fg=$!
    check "our usbipa runs in the foreground" "wait_for 'grep -q \"listening on 0.0.0.0:3243\" usbipa-fg.log' 50"
    echo "usbipa: ALL" > /tmp/hosts.deny.usbipa
    echo "usbipd: ALL" > /tmp/hosts.allow.usbipa  # a rule for another daemon must not let usbipa's peer in
    mount --bind /tmp/hosts.deny.usbipa /etc/hosts.deny && mount --bind /tmp/hosts.allow.usbipa /etc/hosts.allow
    check "hosts.deny 'usbipa: ALL' makes usbip connect fail" '! "$usbip" -t 3243 connect -r 127.0.0.1 -b "$stick"'
    check "usbipa logs the denial" 'grep -q "denied access from 127.0.0.1" usbipa-fg.log || { cat usbipa-fg.log; false; }'
    check "the refused connect leaves the stick on usb-storage" \
        'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100 && ! [ -e /sys/bus/usb/drivers/usbip-host/$stick ]'
    check_eq "no vhci port was taken" 0 "$(vhci_used_ports)"
    umount /etc/hosts.allow
    umount /etc/hosts.deny
    kill "$fg"
    wait "$fg" 2>/dev/null
else
    skip "usbipa TCP wrappers" "/etc/hosts.deny or /etc/hosts.allow missing and / is read-only"
fi
