/// The classic help texts of the C `usbip` (mainline 6.1, with usbip-next's connect/disconnect), printed by
/// `usbip help`, `usbip help COMMAND` and on usage errors. `--help` shows the fuller ArgumentParser help.
enum UsageText {
    /// The two usage lines.
    static let short = """
        usage: usbip [--debug] [--log] [--tcp-port PORT] [version]
                     [help] <command> <args>

        """

    /// The usage lines and the command list (`"  %-10s %s"`), then a blank line.
    static let full = short + """

          attach     Attach a remote USB device
          detach     Detach a remote USB device
          connect    Connect a USB device to a remote computer
          disconnect Disconnect a USB device from a remote computer
          list       List exportable or local USB devices
          bind       Bind device to usbip-host.ko
          unbind     Unbind device from usbip-host.ko
          port       Show imported USB devices


        """

    /// Per-command usage, as `usbip help COMMAND` prints it.
    static let commands: [String: String] = [
        "attach": """
            usage: usbip attach <args>
                -r, --remote=<host>      The machine with exported USB devices
                -b, --busid=<busid>    Busid of the device on <host>
                -d, --device=<devid>    Id of the virtual UDC on <host>

            """,
        "detach": """
            usage: usbip detach <args>
                -p, --port=<port>    vhci_hcd port the device is on

            """,
        "list": """
            usage: usbip list [-p|--parsable] <args>
                -p, --parsable         Parsable list format
                -r, --remote=<host>    List the exportable USB devices on <host>
                -l, --local            List the local USB devices
                -d, --device           List the local USB gadgets bound to usbip-vudc

            """,
        "bind": """
            usage: usbip bind <args>
                -b, --busid=<busid>    Bind usbip-host.ko to device on <busid>

            """,
        "unbind": """
            usage: usbip unbind <args>
                -b, --busid=<busid>    Unbind usbip-host.ko from device on <busid>

            """,
        "connect": """
            usage: usbip connect <args>
                -r, --remote=<host>    Address of a remote computer
                -b, --busid=<busid>    Bus ID of a device to be connected
                -d, --device           Run with an alternate driver, e.g. vUDC

            """,
        "disconnect": """
            usage: usbip disconnect <args>
                -r, --remote=<host>    Address of a remote computer
                -b, --busid=<busid>    Bus ID of a device to be disconnected
                -d, --device           Run with an alternate driver, e.g. vUDC

            """,
        "port": """
            usage: usbip port
                Show the remote devices imported on this machine's vhci_hcd ports.

            """,
    ]
}
