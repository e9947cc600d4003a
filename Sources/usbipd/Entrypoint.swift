import USBIPDaemonCommands

@main
enum Entrypoint {
    static func main() { DaemonEntry.usbipd() }
}
