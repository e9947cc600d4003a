# shellcheck shell=bash
# 20-usbip: our usbip as a drop-in for Debian's C usbip on the real kernel: list output byte for byte, bind,
# list -r, attach (the stick's data read back through vhci_hcd), port, detach, unbind, vUDC gadgets, and the
# failure paths leave nothing behind.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

U=$USBIP_BIN/usbip
stick=$(stick_busid)
kbd=$(kbd_busid)
storage_driver() { basename "$(readlink -f "$USB_SYSFS/$stick:1.0/driver" 2>/dev/null)" 2>/dev/null; }

# 1. Local lists, byte for byte.
"$DEBIAN_USBIP" list -l > c-list-l.txt 2>&1
"$U" list -l > our-list-l.txt 2> our-list-l.err
check_eq "list -l equals Debian's byte for byte" "$(od -c c-list-l.txt)" "$(od -c our-list-l.txt)"
"$DEBIAN_USBIP" list -p -l > c-list-pl.txt 2>&1
"$U" list -p -l > our-list-pl.txt 2>&1
check_eq "list -p -l equals Debian's byte for byte" "$(od -c c-list-pl.txt)" "$(od -c our-list-pl.txt)"
check "list -l mentions the stick" grep -q "busid $stick " our-list-l.txt
# libudev is loaded on demand; reading /sys directly would give the same list, so make sure it was libudev.
"$U" --debug list -l > /dev/null 2> our-list-l-debug.err
check "list -l enumerated through libudev (no fall-back to /sys)" \
    sh -c '! grep -q "cannot load" our-list-l-debug.err && ! grep -q "cannot load" our-list-l.err'

# 2. Debian's usbipd serves what our bind exported; our list -r equals C's.
"$DEBIAN_USBIPD" -D
wait_for 'ss -ltn 2>/dev/null | grep -q ":3240 " || "$DEBIAN_USBIP" list -r 127.0.0.1 >/dev/null 2>&1' 50
check "usbip bind -b <stick> exits 0" "$U" bind -b "$stick"
check_eq "the stick is on usbip-host after bind" usbip-host "$(basename "$(readlink -f "$USB_SYSFS/$stick/driver")")"
check "bind of an already bound device fails with a clear message" \
    '! "$U" bind -b "$stick" 2> bind-again.err && grep -q "already bound to usbip-host" bind-again.err'
"$DEBIAN_USBIP" list -r 127.0.0.1 > c-list-r.txt 2>&1
"$U" list -r 127.0.0.1 > our-list-r.txt 2>&1
check_eq "list -r 127.0.0.1 equals Debian's byte for byte" "$(od -c c-list-r.txt)" "$(od -c our-list-r.txt)"

# 3. Our attach; the stick's data through vhci_hcd; our port equals C's.
check "usbip attach -r 127.0.0.1 -b <stick> exits 0" "$U" attach -r 127.0.0.1 -b "$stick"
check "a vhci disk appears" 'wait_for "vhci_disk >/dev/null" 150'
disk=$(vhci_disk)
sleep 0.5
check_eq "reading the vhci disk gives the stick's sha256" "$(cat "$STICK_SHA256")" "$(disk_sha256 "$disk")"
"$DEBIAN_USBIP" port > c-port.txt 2>&1
"$U" port > our-port.txt 2>&1
check_eq "port equals Debian's byte for byte" "$(od -c c-port.txt)" "$(od -c our-port.txt)"
port=$(sed -n 's/^Port \([0-9]*\):.*/\1/p' our-port.txt | head -1)
port=$((10#${port:-0}))
check "the record file holds host, port and busid" \
    "[ \"\$(cat /var/run/vhci_hcd/port$port)\" = '127.0.0.1 3240 $stick' ]"
check "attach of a device already in use fails: Device busy" \
    '! "$U" attach -r 127.0.0.1 -b "$stick" 2> busy.err && grep -q "Device busy" busy.err'

# 4. detach frees the port; unbind returns the stick to usb-storage.
check "usbip detach -p <port> exits 0" "$U" detach -p "$port"
check "the vhci port is free again (status 004)" 'wait_for "[ \$(vhci_used_ports) = 0 ]" 100'
check "the record file is gone" "! [ -e /var/run/vhci_hcd/port$port ]"
check "usbip unbind -b <stick> exits 0" 'wait_for "\"$U\" unbind -b \"$stick\"" 50'
check "the stick is back on usb-storage" 'wait_for "[ \"\$(storage_driver)\" = usb-storage ]" 100'
check_eq "match_busid is empty again" "" "$(tr -d ' \n' < /sys/bus/usb/drivers/usbip-host/match_busid)"
pkill -x usbipd; wait_for '! pgrep -x usbipd >/dev/null' 50

# 5. vUDC: a gadget exported by usbipd -e; our list -d shows its real ids; our attach -d reads it intact.
check "a mass-storage gadget binds to usbip-vudc.0" make_gadget 8
check "our list -d shows the gadget's real ids" '"$U" list -d | grep -q "busid usbip-vudc.0 (1d6b:0104)"'
"$DEBIAN_USBIPD" -D -e
wait_for '"$DEBIAN_USBIP" list -r 127.0.0.1 >/dev/null 2>&1' 50
check "usbip attach -r 127.0.0.1 -d usbip-vudc.0 exits 0" "$U" attach -r 127.0.0.1 -d usbip-vudc.0
check "a vhci disk appears for the gadget" 'wait_for "vhci_disk >/dev/null" 150'
sleep 0.5
check_eq "reading it gives the gadget's sha256" "$(cat gadget.sha256)" "$(disk_sha256 "$(vhci_disk)")"
gport=$("$U" port | sed -n 's/^Port \([0-9]*\):.*/\1/p' | head -1)
check "detach of the gadget's port" "$U" detach -p "$((10#${gport:-0}))"
wait_for "[ \$(vhci_used_ports) = 0 ]" 100
pkill -x usbipd; wait_for '! pgrep -x usbipd >/dev/null' 50
remove_gadgets

# 6. Failure paths: clear message, exit 1, nothing left behind.
"$DEBIAN_USBIPD" -D
wait_for '"$DEBIAN_USBIP" list -r 127.0.0.1 >/dev/null 2>&1' 50
fails_clearly() {  # NAME PATTERN CMD...: exit status 1 and PATTERN on stderr
    local name=$1 pattern=$2 rc
    shift 2
    "$@" > fail.out 2> fail.err
    rc=$?
    check "$name: exit 1 (got $rc)" test "$rc" = 1
    check "$name: says '$pattern'" grep -q -- "$pattern" fail.err
}
fails_clearly "attach of an unknown busid" "Device not found" "$U" attach -r 127.0.0.1 -b 9-9
fails_clearly "attach to a closed port" "cannot connect to 127.0.0.1:3999" "$U" -t 3999 attach -r 127.0.0.1 -b "$stick"
fails_clearly "bind of a hub" "is a hub" "$U" bind -b usb1
fails_clearly "bind of an unknown busid" "no device 9-9; local devices:" "$U" bind -b 9-9
fails_clearly "unbind of a device not on usbip-host" "not bound to usbip-host" "$U" unbind -b "$kbd"
fails_clearly "detach of a free port" "port 3 is not in use" "$U" detach -p 3
fails_clearly "detach of a nonexistent port" "invalid port 999" "$U" detach -p 999
check_eq "no vhci port left in use" 0 "$(vhci_used_ports)"
check "no record file left" '! ls /var/run/vhci_hcd/port* 2>/dev/null | grep -q .'
check_eq "the stick is still on usb-storage" usb-storage "$(storage_driver)"
pkill -x usbipd; wait_for '! pgrep -x usbipd >/dev/null' 50
rmmod vhci-hcd 2>/dev/null || rmmod vhci_hcd
fails_clearly "attach with vhci-hcd not loaded" "vhci_hcd is not loaded: run 'modprobe vhci-hcd'" \
    "$U" attach -r 127.0.0.1 -b "$stick"
fails_clearly "port with vhci-hcd not loaded" "vhci_hcd is not loaded" "$U" port
kmod vhci-hcd
