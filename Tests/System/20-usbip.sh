# shellcheck shell=bash
# 20-usbip: our usbip as a drop-in for Debian's C usbip on the real kernel: list output byte for byte, bind,
# list -r, attach (the stick's data read back through vhci_hcd), port, detach, unbind, vUDC gadgets, and the
# failure paths leave nothing behind.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

U=$USBIP_BIN/usbip
stick=$(stick_busid)
kbd=$(kbd_busid)
stick_disk=$(usb_disk "$stick")
check "the stick has its own disk" test -b "$stick_disk"
stick_bytes=$(disk_bytes "$stick_disk")
# said STEM: "EXIT-STATUS MESSAGE" of a capture, what a command's status and one-line message come to.
said() { echo "$(cat "$1.rc") $(cat "$1.err" "$1.out")"; }

# 1. Local lists, byte for byte.
capture c-list-l "$DEBIAN_USBIP" list -l
capture our-list-l "$U" list -l
check_same "list -l equals Debian's byte for byte" c-list-l our-list-l
check "list -l mentions the stick" grep -q "busid $stick " our-list-l.out
capture c-list-pl "$DEBIAN_USBIP" list -p -l
capture our-list-pl "$U" list -p -l
check_same "list -p -l equals Debian's byte for byte" c-list-pl our-list-pl
check "list -p -l mentions the stick" grep -q "^busid=$stick#" our-list-pl.out
# libudev is loaded on demand, and when it cannot be, list -l reads /sys (same list): make sure it was libudev.
check "list -l loads libudev.so.1 (the dynamic loader's log)" \
    'LD_DEBUG=files "$U" list -l 2>&1 > /dev/null | grep -q "calling init: .*/libudev\.so\.1$"'
capture our-list-l-debug "$U" --debug list -l
check "list -l --debug exits 0 and does not fall back to /sys" \
    '[ "$(cat our-list-l-debug.rc)" = 0 ] && ! grep -q "reading /sys directly" our-list-l-debug.err'
capture our-list-l-nolib "$U" --libudev libnope.so.9 --debug list -l
check "with libudev missing, list -l --debug says it reads /sys (what the check above looks for)" \
    grep -q "cannot load libnope.so.9 .*; reading /sys directly" our-list-l-nolib.err
check_eq "... and lists the same devices" "$(cat our-list-l.out)" "$(cat our-list-l-nolib.out)"

# 2. Debian's usbipd serves what our bind exported; our list -r equals C's.
check "Debian's usbipd -D starts" "$DEBIAN_USBIPD" -D
check "Debian's usbipd listens on port 3240" 'wait_for "tcp_listening 3240" 50'
capture our-bind "$U" bind -b "$stick"
check_eq "usbip bind -b <stick> exits 0 with Debian's message" "0 usbip: info: bind device on busid $stick: complete" "$(said our-bind)"
check_eq "the stick is on usbip-host after bind" usbip-host "$(basename "$(readlink -f "$USB_SYSFS/$stick/driver")")"
check_fails "bind of an already bound device fails with a clear message" 1 \
    "device $stick is already bound to usbip-host" "$U" bind -b "$stick"
capture c-list-r "$DEBIAN_USBIP" list -r 127.0.0.1
capture our-list-r "$U" list -r 127.0.0.1
check_same "list -r 127.0.0.1 equals Debian's byte for byte" c-list-r our-list-r
check "list -r shows the stick" grep -q " $stick: " our-list-r.out

# 3. Our attach; the stick's data through vhci_hcd; our port equals C's.
check "usbip attach -r 127.0.0.1 -b <stick> exits 0" "$U" attach -r 127.0.0.1 -b "$stick"
check "a vhci disk of the stick's size ($stick_bytes bytes) appears" 'wait_for "vhci_disk_ready $stick_bytes" 150'
disk=$(vhci_disk)
check_eq "reading the vhci disk gives the stick's sha256" "$(cat "$STICK_SHA256")" "$(disk_sha256 "$disk")"
capture c-port "$DEBIAN_USBIP" port
capture our-port "$U" port
check_same "port equals Debian's byte for byte" c-port our-port
port=$(sed -n 's/^Port \([0-9]*\):.*/\1/p' our-port.out | head -n 1)
[ -z "$port" ] || port=$((10#$port))
check_eq "usbip port shows the vhci port in use, importing the stick from 127.0.0.1" \
    "$(vhci_ports 006 | cut -d' ' -f1) usbip://127.0.0.1:3240/$stick" \
    "$port $(grep -o 'usbip://.*' our-port.out)"
check_eq "the record file holds host, port and busid" "127.0.0.1 3240 $stick" "$(cat "/var/run/vhci_hcd/port$port" 2>&1)"
check_fails "attach of a device already in use fails: Device busy" 1 \
    "attach $stick on 127.0.0.1:3240 refused: Device busy (exported)" "$U" attach -r 127.0.0.1 -b "$stick"

# 4. detach frees the port; unbind (once, when usbip-host has released the stick) returns it to usb-storage.
capture our-detach "$U" detach -p "$port"
check_eq "usbip detach -p <port> exits 0 with Debian's message" "0 usbip: info: Port $port is now detached!" "$(said our-detach)"
check "the vhci port is free again (status 004)" 'wait_for "[ \$(vhci_used_ports) = 0 ]" 100'
check "the vhci disk is gone" 'wait_for "! vhci_disk > /dev/null" 100'
check "the record file is gone" "! [ -e /var/run/vhci_hcd/port$port ]"
check "usbip-host has the stick available again (usbip_status 1)" \
    'wait_for "[ \"\$(cat $USB_SYSFS/$stick/usbip_status)\" = 1 ]" 100'
capture our-unbind "$U" unbind -b "$stick"
check_eq "usbip unbind -b <stick> exits 0 at the first attempt, with Debian's message" \
    "0 usbip: info: unbind device on busid $stick: complete" "$(said our-unbind)"
check "the stick is back on usb-storage" 'wait_for "[ \"\$(interface_driver $stick)\" = usb-storage ]" 100'
check "its disk is back, with its size" 'wait_for "d=\$(usb_disk $stick) && [ -b \$d ] && [ \"\$(disk_bytes \$d)\" = $stick_bytes ]" 150'
check_eq "match_busid is empty again" "" "$(tr -d ' \n' < /sys/bus/usb/drivers/usbip-host/match_busid)"
check "Debian's usbipd stops on SIGTERM" stop_processes usbipd

# 5. vUDC: a gadget exported by usbipd -e; our list -d shows its real ids; our attach -d reads it intact.
gadget_mib=8
check "a mass-storage gadget binds to usbip-vudc.0" make_gadget "$gadget_mib"
check "our list -d shows the gadget's real ids" '"$U" list -d > list-d.txt && grep -q "busid usbip-vudc.0 (1d6b:0104)" list-d.txt'
check "Debian's usbipd -D -e starts" "$DEBIAN_USBIPD" -D -e
check "Debian's usbipd -e listens on port 3240" 'wait_for "tcp_listening 3240" 50'
check "usbip attach -r 127.0.0.1 -d usbip-vudc.0 exits 0" "$U" attach -r 127.0.0.1 -d usbip-vudc.0
check "a vhci disk of the gadget's size appears" "wait_for 'vhci_disk_ready $((gadget_mib * 1048576))' 150"
check_eq "reading it gives the gadget's sha256" "$(cat gadget.sha256)" "$(disk_sha256 "$(vhci_disk)")"
gport=$("$U" port | sed -n 's/^Port \([0-9]*\):.*/\1/p' | head -n 1)
[ -z "$gport" ] || gport=$((10#$gport))
check_eq "usbip port shows the gadget's vhci port" "$(vhci_ports 006 | cut -d' ' -f1)" "$gport"
check "detach of the gadget's port" "$U" detach -p "$gport"
check "the vhci port is free again, its disk gone" 'wait_for "[ \$(vhci_used_ports) = 0 ] && ! vhci_disk > /dev/null" 100'
check "Debian's usbipd -e stops on SIGTERM" stop_processes usbipd
check "the gadget is removed" remove_gadgets

# 6. Failure paths: clear message, exit 1, nothing left behind.
check "Debian's usbipd -D starts again" "$DEBIAN_USBIPD" -D
check "Debian's usbipd listens on port 3240 again" 'wait_for "tcp_listening 3240" 50'
check_fails "attach of an unknown busid" 1 "Device not found" "$U" attach -r 127.0.0.1 -b 9-9
check_fails "attach to a closed port" 1 "cannot connect to 127.0.0.1:3999" "$U" -t 3999 attach -r 127.0.0.1 -b "$stick"
check_fails "bind of a hub" 1 "is a hub" "$U" bind -b usb1
check_fails "bind of an unknown busid" 1 "no device 9-9; local devices:" "$U" bind -b 9-9
check_fails "unbind of a device not on usbip-host" 1 "not bound to usbip-host" "$U" unbind -b "$kbd"
check_fails "detach of a free port" 1 "port 3 is not in use" "$U" detach -p 3
check_fails "detach of a nonexistent port" 1 "invalid port 999" "$U" detach -p 999
check_eq "no vhci port left in use" 0 "$(vhci_used_ports)"
check_eq "no record file left" "" "$(record_files)"
check_eq "the stick is still on usb-storage" usb-storage "$(interface_driver "$stick")"
check "Debian's usbipd stops on SIGTERM again" stop_processes usbipd
check "vhci-hcd unloads" 'rmmod vhci_hcd && ! grep -q "^vhci_hcd " /proc/modules'
check_fails "attach with vhci-hcd not loaded" 1 "vhci_hcd is not loaded: run 'modprobe vhci-hcd'" \
    "$U" attach -r 127.0.0.1 -b "$stick"
check_fails "port with vhci-hcd not loaded" 1 "vhci_hcd is not loaded" "$U" port
check "vhci-hcd loads again" 'kmod vhci-hcd && grep -q "^vhci_hcd " /proc/modules'
