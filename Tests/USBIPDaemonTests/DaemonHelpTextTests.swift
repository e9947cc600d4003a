import SystemPackage
import Testing
import USBIPTestSupport
import USBIPDaemon

/// `-h` and `-v` of both daemons: usbipd's byte for byte as Debian's C usbipd prints them (the captures in
/// Tests/Fixtures/outputs), usbipa's the same text for its own name and pid file, without `-e`.
@Suite struct DaemonHelpTextTests {
    /// A captured output of Debian's tools.
    static func captured(_ name: String) throws -> String {
        let fd = try FileDescriptor.open(Fixtures.path("outputs/" + name), .readOnly)
        return try fd.closeAfter {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
                if n == 0 { break }
                bytes += buffer[0..<n]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func usbipdHelpIsDebiansByteForByte() throws {
        #expect(DaemonProgram.usbipd.help == (try Self.captured("usbipd-help.stdout")))
    }

    @Test func usbipdVersionIsDebians() throws {
        #expect(DaemonProgram.usbipd.version + "\n" == (try Self.captured("usbipd-version.stdout")))
    }

    @Test func usbipaHelpIsUsbipdsWithoutDeviceModeForItsOwnNameAndPIDFile() throws {
        let usbipd = try Self.captured("usbipd-help.stdout")
        let deviceMode = "\t-e, --device\n\t\tRun in device mode.\n\t\tRather than drive an attached device, create\n"
            + "\t\ta virtual UDC to bind gadgets to.\n\n"
        #expect(usbipd.contains(deviceMode))
        let expected = usbipd.replacing(deviceMode, with: "")
            .replacing("usage: usbipd", with: "usage: usbipa")
            .replacing("/var/run/usbipd.pid", with: "/var/run/usbipa.pid")
        #expect(DaemonProgram.usbipa.help == expected)
        #expect(DaemonProgram.usbipa.version == "usbipa (usbip-utils 2.0)")
    }
}
