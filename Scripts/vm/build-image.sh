#!/usr/bin/env bash
# Builds (or refreshes) the test VM's cache: Debian's kernel, an initramfs and the USB stick image.
#
#   Scripts/vm/build-image.sh          (boot.sh calls it; it does nothing when the cache is current)
#
# Cache folder: $USBIP_VM_CACHE (default /var/cache/usbip-swift-vm), holding
#   linux-image.deb, kver   Debian's kernel package (newest linux-image-amd64 of the release, or
#                           $USBIP_VM_KVER such as 6.1.0-56-amd64) and its version; fetched once
#   vmlinuz                 the kernel
#   initrd.gz, initrd.key   initramfs (busybox-static + Scripts/vm/init + the modules of modules.list with
#                           their dependencies); rebuilt whenever init, modules.list, this script or the
#                           kernel change (initrd.key is their hash)
#   stick.img, stick.sha256 the 64 MiB USB stick of random bytes and its sha256 (made once)
# Needs: apt-get (Debian's package lists), dpkg-deb, kmod (depmod/modprobe), cpio, gzip, /bin/busybox from
# busybox-static. Exit status 0, or 1 with a message on stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${USBIP_VM_CACHE:-/var/cache/usbip-swift-vm}
mkdir -p "$cache"
cd "$cache"

say() { echo "build-image: $*" >&2; }
fail() { say "$*"; exit 1; }

# One builder at a time (two harness runs may start together).
exec 9> "$cache/.lock"
flock 9

# --- The kernel package ---------------------------------------------------------------------------------
want_kver=${USBIP_VM_KVER:-}
if [ ! -f linux-image.deb ] || [ ! -f kver ] || { [ -n "$want_kver" ] && [ "$(cat kver)" != "$want_kver" ]; }; then
    newest() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }'; }
    if [ -z "$want_kver" ]; then
        want_kver=$(newest)
        if [ -z "$want_kver" ]; then
            say "no package lists yet: apt-get update"
            apt-get update -qq >/dev/null || fail "apt-get update failed"
            want_kver=$(newest)
        fi
        [ -n "$want_kver" ] || fail "apt-cache knows no linux-image-amd64: is this Debian with its package lists?"
    fi
    say "downloading linux-image-$want_kver"
    tmp=$(mktemp -d "$cache/download.XXXXXX")
    download() { (cd "$tmp" && apt-get download -q "linux-image-$want_kver" >/dev/null 2>&1); }
    # Stale package lists name a version the mirror no longer has: refresh them once and retry (with the
    # then newest version unless USBIP_VM_KVER names one).
    if ! download && ! { apt-get update -qq >/dev/null 2>&1 && want_kver=${USBIP_VM_KVER:-$(newest)} && download; }; then
        rm -rf "$tmp"
        fail "apt-get download linux-image-$want_kver failed"
    fi
    mv "$tmp"/linux-image-*.deb linux-image.deb
    rm -rf "$tmp"
    echo "$want_kver" > kver
    rm -f vmlinuz initrd.gz initrd.key
fi
kver=$(cat kver)

# --- Kernel and initramfs --------------------------------------------------------------------------------
key=$( (echo "$kver"; cat "$here/init" "$here/modules.list" "${BASH_SOURCE[0]}"; md5sum /bin/busybox) | sha256sum | cut -d' ' -f1)
if [ ! -f vmlinuz ] || [ ! -f initrd.gz ] || [ "$(cat initrd.key 2>/dev/null)" != "$key" ]; then
    say "building the initramfs for $kver"
    if ldd /bin/busybox >/dev/null 2>&1; then
        fail "/bin/busybox is dynamically linked: install busybox-static"
    fi
    work=$(mktemp -d "$cache/build.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    dpkg-deb -x linux-image.deb "$work/pkg" || fail "cannot unpack linux-image.deb"
    tree=$work/pkg/lib/modules/$kver
    [ -d "$tree" ] || fail "linux-image.deb has no lib/modules/$kver"
    depmod -b "$work/pkg" "$kver"

    root=$work/initrd
    mkdir -p "$root"/{bin,etc,proc,sys,dev,host,lib/modules/"$kver"}
    cp /bin/busybox "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    cp "$here/init" "$root/init"
    chmod 755 "$root/init"
    cp "$here/modules.list" "$root/etc/vm-modules"

    # Each listed module with its dependencies (modprobe resolves them against the unpacked tree) ...
    copy_module() {  # PATH of a .ko inside $work/pkg
        local rel=${1#"$work/pkg/lib/modules/$kver/"}
        mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
        cp "$1" "$root/lib/modules/$kver/$rel"
    }
    while read -r name _; do
        case "$name" in '' | '#'*) continue ;; esac
        deps=$(modprobe -d "$work/pkg" -S "$kver" --show-depends "$name" 2>&1) || fail "no module $name in $kver: $deps"
        while read -r verb path _; do
            [ "$verb" = insmod ] && copy_module "$path"
        done <<< "$deps"
    done < "$here/modules.list"
    # ... and every crypto module, which kTLS and friends load on demand.
    for dir in kernel/crypto kernel/arch/x86/crypto kernel/lib/crypto; do
        [ -d "$tree/$dir" ] || continue
        while IFS= read -r ko; do copy_module "$ko"; done < <(find "$tree/$dir" -name '*.ko*')
    done
    cp "$tree"/modules.order "$tree"/modules.builtin* "$root/lib/modules/$kver/"
    depmod -b "$root" "$kver"

    cp "$work/pkg/boot/vmlinuz-$kver" vmlinuz.new
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > initrd.gz.new
    mv vmlinuz.new vmlinuz
    mv initrd.gz.new initrd.gz
    echo "$key" > initrd.key
fi

# --- The USB stick ---------------------------------------------------------------------------------------
if [ ! -f stick.img ] || [ ! -f stick.sha256 ]; then
    say "making the 64 MiB stick image"
    head -c 67108864 /dev/urandom > stick.img.new
    sha256sum stick.img.new | cut -d' ' -f1 > stick.sha256
    mv stick.img.new stick.img
fi
