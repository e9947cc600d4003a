# shellcheck shell=bash
# 10-core-reads: what USBIPKernel reads for the VM's stick and keyboard (busid, ids, speed, class, interfaces)
# equals what sysfs shows (cat) and what Debian's `usbip list -p -l` prints; vhci_hcd's nports and status
# files agree. The Swift side is the USBIPSystemTests target, run from the test bundle.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

stick=$(stick_busid)
kbd=$(kbd_busid)
check "the stick (serial STICK0001) is on the emulated controller" test -n "$stick"
check "the keyboard is on the emulated controller" test -n "$kbd"
check_eq "the stick runs at SuperSpeed" 5000 "$(cat "$USB_SYSFS/$stick/speed" 2>&1)"

# The kernel's view, read with cat; Debian's C tool's view.
usb_snapshot > snapshot.txt
check "Debian's usbip list -p -l succeeds" '"$DEBIAN_USBIP" list -p -l > debian-list.txt'
# usbip list -l leaves out hubs (bDeviceClass 09); it prints busid=B#usbid=VVVV:PPPP# per device.
expected=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); a[kv[1]] = kv[2] }
                  if (a["bDeviceClass"] != "09") print "busid=" a["busid"] "#usbid=" a["idVendor"] ":" a["idProduct"] "#" }' snapshot.txt | sort)
check "sysfs shows the stick and the keyboard as non-hub devices" \
    'grep -q "^busid=$stick#" <<< "$expected" && grep -q "^busid=$kbd#" <<< "$expected"'
check_eq "Debian's usbip list -p -l shows exactly the non-hub devices of sysfs, with their ids" \
    "$expected" "$(sort debian-list.txt)"
nports=$(cat "$VHCI/nports")
check "vhci_hcd nports is a positive number ($nports)" '[ "$nports" -gt 0 ]'
check_eq "vhci_hcd's status files list nports ports" "$nports" "$(vhci_ports '[0-9][0-9][0-9]' | wc -l)"
check_eq "every vhci port is free at the start (status 004)" "$nports" "$(vhci_ports 004 | wc -l)"

# USBIPKernel's view (Swift Testing, USBIPSystemTests), compared with the files above.
swift_tests USBIPSystemTests \
    USBIP_SYSTEM_SNAPSHOT="$PWD/snapshot.txt" USBIP_SYSTEM_DEBIAN_LIST="$PWD/debian-list.txt" \
    USBIP_SYSTEM_STICK="$stick" USBIP_SYSTEM_KEYBOARD="$kbd"
