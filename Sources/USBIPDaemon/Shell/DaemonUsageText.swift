/// The texts `usbipd -h` and `-v` print (mainline `usbipd.c`, verified against Debian's binary), plus the
/// keepalive options of the 2025 patch.
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

        \t--tcp-keepidle SECONDS, --tcp-keepintvl SECONDS, --tcp-keepcnt COUNT
        \t\tTCP keepalive timers of imported connections.

        \t-h, --help
        \t\tPrint this help.

        \t-v, --version
        \t\tShow version.


        """

    /// `usbipa -h`: usbipd's text without `-e` and the keepalive options, with usbipa's pid file.
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
