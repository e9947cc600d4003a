import SystemPackage
import Testing
import USBIPTestSupport

/// Where `usbip`'s error and info lines go: syslog too with `-l/--log` (facility user, as C's `usbip -l`), and
/// with the sd-daemon priority prefix when stderr is the journal stream.
@Suite struct UsbipLogTests {
    /// A tree where `bind -b 2-1` succeeds (the captured idle tree with empty kernel files).
    static func bindFixture() throws -> SysfsFixture {
        try SysfsFixture.copy(of: "sysfs-idle", adding: CLISysfsWriteTests.kernelFiles)
    }

    @Test(.enabled(if: SyslogCapture.isAvailable, "needs root and unshare"))
    func logSendsErrorsAndInfoToSyslog() throws {
        let fixture = try Self.bindFixture()
        defer { fixture.remove() }
        let capture = try SyslogCapture()
        let bound = try capture.run("usbip", ["-l", "--sysfs-root", fixture.root.string, "bind", "-b", "2-1"])
        #expect(bound.status == 0, "\(bound)")
        let failed = try capture.run("usbip", ["--log", "--sysfs-root", fixture.root.string, "bind", "-b", "9-9"])
        #expect(failed.status == 1, "\(failed)")
        // stderr keeps its lines.
        #expect(bound.stderr == "usbip: info: bind device on busid 2-1: complete\n")
        #expect(failed.stderr.hasPrefix("usbip: error: no device 9-9"), "\(failed)")
        let messages = capture.messages()
        // LOG_USER | LOG_INFO = 14, LOG_USER | LOG_ERR = 11.
        #expect(
            messages.contains { $0.hasPrefix("<14>") && $0.hasSuffix("bind device on busid 2-1: complete") },
            "\(messages)")
        #expect(messages.contains { $0.hasPrefix("<11>") && $0.contains("no device 9-9") }, "\(messages)")
    }

    @Test func errorAndInfoLinesCarryPriorityPrefixesWhenStderrIsTheJournalStream() throws {
        let fixture = try Self.bindFixture()
        defer { fixture.remove() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = fixture.root.string
        let bound = try ToolProcess(
            "usbip", ["--sysfs-root", root, "bind", "-b", "2-1"], output: .file(folder.path + "/bound"),
            journalStream: true)
        #expect(bound.waitForExit() == 0)
        #expect(fileContents(folder.path + "/bound") == "<6>usbip: info: bind device on busid 2-1: complete\n")
        let failed = try ToolProcess(
            "usbip", ["--sysfs-root", root, "bind", "-b", "9-9"], output: .file(folder.path + "/failed"),
            journalStream: true)
        #expect(failed.waitForExit() == 1)
        #expect(fileContents(folder.path + "/failed").hasPrefix("<3>usbip: error: no device 9-9"))
    }
}
