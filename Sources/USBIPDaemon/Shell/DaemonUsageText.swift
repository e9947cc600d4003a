/// The texts `usbipd -h` and `-v` print: Debian's C usbipd's byte for byte (mainline `usbipd.c`; pinned against
/// the capture by `DaemonHelpTextTests`). usbipd's keepalive options (`--tcp-keepidle` …) are in usbipd(8) only,
/// so that scripts comparing the help with the C tool's see no difference.
enum DaemonUsageText {
    /// `usbipd -v`.
    static let version = "usbipd (usbip-utils 2.0)"

    /// `usbipd -h` (with the trailing blank line of the C tool).
    static let help = """
        usage: usbipd [options]

        \t-4, --ipv4
        \t\tBind to IPv4. Default is both.

        \t-6, --ipv6
        \t\tBind to IPv6. Default is both.

        \t-e, --device
        \t\tRun in device mode.
        \t\tRather than drive an attached device, create
        \t\ta virtual UDC to bind gadgets to.

        \t-D, --daemon
        \t\tRun as a daemon process.

        \t-d, --debug
        \t\tPrint debugging information.

        \t-PFILE, --pid FILE
        \t\tWrite process id to FILE.
        \t\tIf no FILE specified, use /var/run/usbipd.pid

        \t-tPORT, --tcp-port PORT
        \t\tListen on TCP/IP port PORT.

        \t-h, --help
        \t\tPrint this help.

        \t-v, --version
        \t\tShow version.


        """

    /// `usbipa -h`: usbipd's text without `-e`, for usbipa's name and pid file.
    static let usbipaHelp = """
        usage: usbipa [options]

        \t-4, --ipv4
        \t\tBind to IPv4. Default is both.

        \t-6, --ipv6
        \t\tBind to IPv6. Default is both.

        \t-D, --daemon
        \t\tRun as a daemon process.

        \t-d, --debug
        \t\tPrint debugging information.

        \t-PFILE, --pid FILE
        \t\tWrite process id to FILE.
        \t\tIf no FILE specified, use /var/run/usbipa.pid

        \t-tPORT, --tcp-port PORT
        \t\tListen on TCP/IP port PORT.

        \t-h, --help
        \t\tPrint this help.

        \t-v, --version
        \t\tShow version.


        """
}
