# Sourced (not run) by the scripts that build the release tools, so that they all build them the same way and
# share one build: `swift build "${release_flags[@]}" ...`.
#
#   -c release               optimized; also what Package.swift's releaseLinkSettings keys on (lld, order files)
#   --static-swift-stdlib    the Swift runtime linked in: nothing to install beside the tools
#   --disable-local-rpath    no RUNPATH $ORIGIN: the dynamic loader looks for libc and libudev in the system's
#                            folders only, not first in the tool's own folder (/usr/local/sbin) and its
#                            glibc-hwcaps/tls subfolders (~25 failed lookups at every start)
#   -function-sections       every Swift function in a section of its own (Swift does that only for public
#                            ones), in every module, dependencies included, so that the link can place the
#                            start-up functions together (Linker/README.md). Here rather than in Package.swift:
#                            unsafe flags on a library target would stop other packages from depending on it.
# shellcheck disable=SC2034
release_flags=(-c release --static-swift-stdlib --disable-local-rpath -Xswiftc -Xfrontend -Xswiftc -function-sections)
