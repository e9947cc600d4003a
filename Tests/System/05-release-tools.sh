# shellcheck shell=bash
# 05-release-tools: the release tools, built with --static-swift-stdlib, run on the VM's kernel and carry the
# Swift runtime inside them: ldd shows no Swift, Foundation or ICU library, and they print the same help when
# the toolchain's runtime folder is hidden.
# (Sourced by Scripts/vm/run-checks.sh with Tests/System/lib.sh loaded, in a fresh working directory.)

# What is hidden below must be there to begin with, or hiding it proves nothing.
check "the Swift runtime folder holds libswiftCore.so" test -e "$USBIP_SWIFT_RUNTIME/libswiftCore.so"
for tool in usbip usbipd usbipa; do
    bin=$USBIP_BIN/$tool
    check "$tool is built" test -x "$bin"
    capture "$tool-help" "$bin" --help
    check "$tool --help exits 0 and prints its usage" \
        "[ \"\$(cat $tool-help.rc)\" = 0 ] && grep -q -i '^usage: $tool ' $tool-help.out"
    check "$tool links libc and no Swift, Foundation or ICU library" \
        "ldd '$bin' > $tool-ldd.txt && grep -q 'libc\.so\.6' $tool-ldd.txt && ! grep -E 'libswift|libFoundation|lib_Foundation|libicu|libdispatch|libBlocksRuntime' $tool-ldd.txt"
    # A private mount namespace with an empty tmpfs over the runtime folder (libswiftCore.so and friends).
    capture "$tool-hidden" unshare --mount sh -c \
        'mount -t tmpfs none "$1" && ! [ -e "$1/libswiftCore.so" ] && exec "$2" --help' sh "$USBIP_SWIFT_RUNTIME" "$bin"
    check_same "$tool --help prints the same with the Swift runtime folder hidden" "$tool-help" "$tool-hidden"
done
