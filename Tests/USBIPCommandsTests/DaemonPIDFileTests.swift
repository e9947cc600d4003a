#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPTestSupport

/// The built usbipd's pid file: locked for the daemon's life (a second daemon with the same file is refused and
/// leaves it alone), and named as a pid file when it cannot be written.
@Suite struct DaemonPIDFileTests {
    @Test func aSecondUsbipdWithTheSamePIDFileIsRefusedAndLeavesTheFile() throws {
        let fixture = try DaemonFixtures.usbipdFixture()
        defer { fixture.remove() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pidFile = folder.path + "/usbipd.pid"
        let root = fixture.root.string
        let first = try ToolProcess(
            "usbipd", ["-t", "3293", "-P" + pidFile, "--sysfs-root", root], output: .file(folder.path + "/first.log"))
        defer { first.stop() }
        #expect(waitUntil(seconds: 10) { fileContents(pidFile) == "\(first.pid)\n" }, "\(fileContents(folder.path + "/first.log"))")

        let secondLog = folder.path + "/second.log"
        let second = try ToolProcess(
            "usbipd", ["-t", "3294", "--pid=" + pidFile, "--sysfs-root", root], output: .file(secondLog))
        defer { second.stop() }
        #expect(second.waitForExit(seconds: 10) == 1, "the second usbipd still runs: \(fileContents(secondLog))")
        let refusal = "usbipd: error: pid file \(pidFile) is locked by running process \(first.pid): "
            + "stop it first or give another file with -PFILE\n"
        #expect(fileContents(secondLog).hasSuffix(refusal), "\(fileContents(secondLog))")
        // The first daemon's file is untouched and it still serves.
        #expect(fileContents(pidFile) == "\(first.pid)\n")
        #expect(DaemonFixtures.answers("usbipd", port: 3293))
        #expect(first.stop() == 0)
        #expect(access(pidFile, F_OK) != 0, "the first usbipd left its pid file")
    }

    @Test func aPIDFileThatCannotBeWrittenIsNamedAsAPIDFile() throws {
        let fixture = try DaemonFixtures.usbipdFixture()
        defer { fixture.remove() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pidFile = folder.path + "/missing/usbipd.pid"
        let result = try ToolRunner.run("usbipd", ["-t", "3295", "-P" + pidFile, "--sysfs-root", fixture.root.string])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasSuffix(
                "usbipd: error: cannot open pid file \(pidFile): No such file or directory: give a writable path with -PFILE\n"),
            "\(result)")
    }
}
