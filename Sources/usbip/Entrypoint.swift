import USBIPCommands

@main
enum Entrypoint {
    static func main() { ToolEntry.usbip() }
}
