#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPTestSupport

/// The daemons' stderr lines under journald: with the sd-daemon priority prefix (`<3>` error, `<6>` info) when
/// `JOURNAL_STREAM` names their stderr, without it otherwise.
@Suite struct DaemonJournalTests {
    @Test(arguments: [
        ("usbipd", "<3>usbipd: error: please load usbip-core.ko and usbip-host.ko!\n"),
        ("usbipa", "<3>usbipa: error: vhci_hcd is not loaded: run 'modprobe vhci-hcd'\n"),
    ])
    func stderrLinesCarryPriorityPrefixesWhenItIsTheJournalStream(_ daemon: String, _ expected: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.path + "/log"
        let process = try ToolProcess(
            daemon, ["-t", "3299", "--sysfs-root", folder.path], output: .file(log), journalStream: true)
        #expect(process.waitForExit() == 1)
        #expect(fileContents(log) == expected)
    }

    @Test func infoLinesOfARunningDaemonCarryPriorityPrefixSix() throws {
        let fixture = try DaemonFixtures.usbipdFixture()
        defer { fixture.remove() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.path + "/log"
        let process = try ToolProcess(
            "usbipd", ["-4", "-t", "3299", "--sysfs-root", fixture.root.string], output: .file(log), journalStream: true)
        defer { process.stop() }
        #expect(waitUntil(seconds: 10) { fileContents(log).contains("listening on") }, "\(fileContents(log))")
        #expect(fileContents(log).hasPrefix("<6>usbipd: info: starting usbipd (usbip-utils 2.0)\n<6>usbipd: info: listening on 0.0.0.0:3299\n"))
        #expect(process.stop() == 0)
        #expect(fileContents(log).hasSuffix("<6>usbipd: info: shutting down usbipd\n"))
    }

    @Test func aJournalStreamOfAnotherFileGivesNoPrefix() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.path + "/log"
        var other = stat()
        #expect(stat(folder.path, &other) == 0)
        let process = try ToolProcess(
            "usbipd", ["-t", "3299", "--sysfs-root", folder.path], output: .file(log),
            environment: ["JOURNAL_STREAM": "\(other.st_dev):\(other.st_ino)"])
        #expect(process.waitForExit() == 1)
        #expect(fileContents(log) == "usbipd: error: please load usbip-core.ko and usbip-host.ko!\n")
    }
}
