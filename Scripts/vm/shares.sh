# shellcheck shell=bash
# Scripts/vm/shares.sh: folders of this machine that the VM shows at their own path (sourced by boot.sh and
# Scripts/system-tests).
#
# Inside the VM the checks run in a chroot of this machine's / (read-only), except /tmp and /run, which are
# fresh tmpfs there. A folder under /tmp or /run (a checkout in /tmp/x, a build folder in /run/user/0/b) is
# therefore hidden inside unless boot.sh is asked to show it (USBIP_VM_SHARE): the VM's init then binds this
# machine's folder, read-only, over the same path after mounting the tmpfs. Paths are resolved (pwd -P).

# vm_share_problem DIR: prints why DIR cannot be shown inside the VM at its own path, and fails; succeeds
# silently when it can.
vm_share_problem() {
    case "$1" in
        *$'\n'*) echo "its path has a newline"; return 1 ;;
        /*) ;;
        *) echo "$1 is not an absolute path"; return 1 ;;
    esac
    case "$1" in
        /tmp/*:* | /run/*:*) echo "its path has a colon (USBIP_VM_SHARE separates folders with colons)"; return 1 ;;
    esac
    case "${1%/}/" in
        /tmp/ | /run/) echo "it is the VM's own tmpfs"; return 1 ;;
        /tmp/job/* | /tmp/checks/* | /run/vm/*)
            echo "it is under a folder the VM itself uses (/tmp/job, /tmp/checks, /run/vm)"
            return 1 ;;
    esac
    return 0
}

# vm_share_needed DIR: whether DIR is hidden inside the VM (under /tmp or /run) and so needs sharing.
vm_share_needed() {
    case "$1" in /tmp/* | /run/*) return 0 ;; esac
    return 1
}
