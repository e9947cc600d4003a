#!/usr/bin/env bash
# Runs SCRIPT as root inside a throwaway VM with Debian's kernel and the real USB/IP modules.
#
#   Scripts/vm/boot.sh SCRIPT [extra qemu arguments...]
#
# The VM (qemu, software emulation, about 20 s to boot) runs Debian's 6.1 kernel with usbip-host,
# vhci-hcd and usbip-vudc loaded, on a qemu-xhci controller carrying a 64 MiB USB stick (serial
# STICK0001, SuperSpeed) and a USB keyboard. SCRIPT runs with bash, chrooted into THIS machine's root
# filesystem (shared read-only over 9p), so binaries built here run inside unchanged. Inside, /tmp and
# /run are fresh tmpfs (except the folders of USBIP_VM_SHARE), and /tmp/job (the working directory,
# writable, shared with this machine) holds SCRIPT as script.sh, stick.sha256 and the files named in
# USBIP_VM_FILES. Scripts/vm/README.md has more.
#
# Environment:
#   USBIP_VM_CACHE    cache folder (default /var/cache/usbip-swift-vm; built on first use, a few minutes)
#   USBIP_VM_KVER     Debian kernel version to use (default: the newest linux-image-amd64)
#   USBIP_VM_TIMEOUT  seconds before the VM is killed (default 300)
#   USBIP_VM_BOOT_TIMEOUT  seconds for the VM to come up (its init writes job/booted); past that the VM is
#                     killed and booted once more (default 120; a boot takes ~20 s, and one in many hung
#                     silently before the kernel printed anything)
#   USBIP_VM_MEM      MiB of memory (default 1536)
#   USBIP_VM_CPUS     virtual CPUs (default 2)
#   USBIP_VM_FILES    space-separated files or folders copied into the job folder
#   USBIP_VM_SHARE    colon-separated folders of this machine shown inside at their own path, read-only,
#                     even under /tmp or /run (a checkout or build folder there); see shares.sh
#   USBIP_VM_JOB      use this (empty or new) folder as the job folder and keep it afterwards
#   USBIP_VM_KEEP=1   keep the temporary job folder (its path is printed)
#
# Exit status: SCRIPT's; 99 if the VM did not finish (timeout, crash, no status written);
# 98 if the VM could not be built (packages, kernel download, initramfs); 2 for a wrong argument or
# USBIP_VM_SHARE folder (before anything is booted).
set -uo pipefail

readonly EXIT_VM_UNFINISHED=99
readonly EXIT_VM_UNBUILDABLE=98

usage() { echo "usage: Scripts/vm/boot.sh SCRIPT [qemu args...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
script=$1
shift
[ -f "$script" ] || { echo "boot.sh: no such script: $script" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=shares.sh
. "$here/shares.sh"
export USBIP_VM_CACHE=${USBIP_VM_CACHE:-/var/cache/usbip-swift-vm}
cache=$USBIP_VM_CACHE

# --- Folders under /tmp and /run to show inside (USBIP_VM_SHARE) ------------------------------------------
shares=()
IFS=: read -r -a requested <<< "${USBIP_VM_SHARE:-}"
for dir in "${requested[@]}"; do
    [ -n "$dir" ] || continue
    if ! resolved=$(cd "$dir" 2>/dev/null && pwd -P); then
        echo "boot.sh: USBIP_VM_SHARE: no such folder: $dir" >&2
        exit 2
    fi
    if ! problem=$(vm_share_problem "$resolved"); then
        echo "boot.sh: USBIP_VM_SHARE: the VM cannot show $resolved at its own path: $problem" >&2
        exit 2
    fi
    vm_share_needed "$resolved" && shares+=("$resolved")
done

# --- Prerequisites (Debian packages), installed only when missing -------------------------------------------
# Scripts/build-deps holds the list (its --vm set); it installs them as root, or prints the apt-get line.
if ! "$here/../build-deps" --vm; then
    echo "boot.sh: the VM's Debian packages are missing (above)" >&2
    exit $EXIT_VM_UNBUILDABLE
fi

if ! "$here/build-image.sh"; then
    echo "boot.sh: could not build the VM (cache $cache)" >&2
    exit $EXIT_VM_UNBUILDABLE
fi

# --- The job folder ------------------------------------------------------------------------------------------
if [ -n "${USBIP_VM_JOB:-}" ]; then
    job=$USBIP_VM_JOB
    mkdir -p "$job"
    keep=1
else
    job=$(mktemp -d /tmp/usbip-vm-job.XXXXXX)
    keep=${USBIP_VM_KEEP:-}
fi
rm -f "$job/rc" "$job/dmesg.txt" "$job/booted"
cp "$script" "$job/script.sh"
# One folder a line; the VM's init binds each over the same path inside.
printf '%s\n' ${shares[@]+"${shares[@]}"} | sed '/^$/d' > "$job/shares"
cp "$cache/stick.sha256" "$job/stick.sha256"
for f in ${USBIP_VM_FILES:-}; do cp -r "$f" "$job/"; done

# --- Boot ------------------------------------------------------------------------------------------------------
# The console (ttyS0) is the script's stdout/stderr. Carriage returns and the terminal-reset sequence that
# SeaBIOS/qemu print before the kernel starts are dropped, and so is the kernel's closing "reboot: Power down";
# everything else is passed through as it comes.
boot_timeout=${USBIP_VM_BOOT_TIMEOUT:-120}
for attempt in 1 2; do
    rm -f "$job/booted" "$job/qemu.pid" "$job/boot-stalled"
    # The boot watchdog: no job/booted after boot_timeout seconds means a hung boot.
    (
        trap 'kill "$sleeper" 2> /dev/null; exit 0' TERM
        sleep "$boot_timeout" &
        sleeper=$!
        wait "$sleeper"
        if [ ! -f "$job/booted" ] && [ -f "$job/qemu.pid" ]; then
            : > "$job/boot-stalled"
            kill "$(cat "$job/qemu.pid")" 2> /dev/null
        fi
    ) > /dev/null 2>&1 &
    watchdog=$!
    timeout "${USBIP_VM_TIMEOUT:-300}" qemu-system-x86_64 \
        -accel tcg -cpu max -m "${USBIP_VM_MEM:-1536}" -smp "${USBIP_VM_CPUS:-2}" \
        -pidfile "$job/qemu.pid" -nodefaults -no-user-config -display none -vga none -serial stdio -monitor none -no-reboot -net none \
        -kernel "$cache/vmlinuz" -initrd "$cache/initrd.gz" \
        -append "console=ttyS0 panic=-1 quiet loglevel=3" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$job",mount_tag=job,security_model=none \
        -device qemu-xhci,id=xhci \
        -drive if=none,id=stick,file="$cache/stick.img",format=raw,snapshot=on \
        -device usb-storage,bus=xhci.0,drive=stick,serial=STICK0001 \
        -device usb-kbd,bus=xhci.0 \
        "$@" < /dev/null 2>&1 | tr -d '\r' | sed -u -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' -e '/\] reboot: Power down$/d'
    qemu_rc=${PIPESTATUS[0]}
    kill "$watchdog" 2> /dev/null
    wait "$watchdog" 2> /dev/null
    [ -f "$job/boot-stalled" ] || break
    echo "boot.sh: the VM did not come up within $boot_timeout s (attempt $attempt of 2)" >&2
done
rm -f "$job/qemu.pid" "$job/boot-stalled"

if [ -f "$job/rc" ]; then
    rc=$(cat "$job/rc")
else
    rc=$EXIT_VM_UNFINISHED
    if [ "$qemu_rc" = 124 ]; then
        echo "boot.sh: the VM did not finish within ${USBIP_VM_TIMEOUT:-300} s" >&2
    else
        echo "boot.sh: the VM stopped without an exit status (qemu exit $qemu_rc)" >&2
    fi
fi
if [ -n "$keep" ]; then
    [ -n "${USBIP_VM_JOB:-}" ] || echo "boot.sh: job folder kept at $job" >&2
else
    rm -rf "$job"
fi
exit "$rc"
