# shellcheck shell=bash
# 05-release-tools: the release tools, built with --static-swift-stdlib, run on the VM's kernel and carry the
# Swift runtime inside them: ldd shows no Swift, Foundation or ICU library, and they still start when the
# toolchain's runtime folder is hidden.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

for tool in usbip usbipd usbipa; do
    bin=$USBIP_BIN/$tool
    check "$tool is built" test -x "$bin"
    check "$tool --help exits 0" "$bin" --help
    check "$tool links no Swift, Foundation or ICU library" \
        "ldd '$bin' && ! ldd '$bin' | grep -E 'libswift|libFoundation|lib_Foundation|libicu|libdispatch|libBlocksRuntime'"
    # A private mount namespace with an empty tmpfs over the runtime folder (libswiftCore.so and friends).
    check "$tool --help runs with the Swift runtime folder hidden" \
        unshare --mount sh -c "mount -t tmpfs none '$USBIP_SWIFT_RUNTIME' && ! [ -e '$USBIP_SWIFT_RUNTIME/libswiftCore.so' ] && '$bin' --help"
done
