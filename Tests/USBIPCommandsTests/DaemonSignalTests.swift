#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage
import Testing
import USBIPTestSupport

/// Signals that must not end the built daemons: SIGHUP (Debian's C usbipd survives it) and SIGPIPE (a peer that
/// resets, a stderr nobody reads).
@Suite struct DaemonSignalTests {
    @Test(arguments: [("usbipd", UInt16(3296)), ("usbipa", UInt16(3297))])
    func sighupDoesNotEndTheDaemon(_ daemon: String, _ port: UInt16) throws {
        let fixture = try daemon == "usbipd" ? DaemonFixtures.usbipdFixture() : DaemonFixtures.usbipaFixture()
        defer { fixture.remove() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.path + "/log"
        let process = try ToolProcess(
            daemon, ["-4", "-t", String(port), "--sysfs-root", fixture.root.string], output: .file(log))
        defer { process.stop() }
        #expect(waitUntil(seconds: 10) { LoopbackClient.isListening(port: port) }, "\(fileContents(log))")
        process.send(SIGHUP)
        // A whole request and reply after the signal: a daemon it ended could not answer.
        #expect(DaemonFixtures.answers(daemon, port: port), "\(fileContents(log))")
        #expect(process.isRunning, "ended with status \(process.exitStatus ?? -1)")
        #expect(process.stop() == 0)
    }

    @Test func resetPeersAndABrokenStderrDoNotEndUsbipd() throws {
        let fixture = try DaemonFixtures.usbipdFixture()
        defer { fixture.remove() }
        // Every log line now fails with EPIPE (SIGPIPE unless ignored), and every peer resets its connection.
        let process = try ToolProcess("usbipd", ["-4", "-t", "3298", "--sysfs-root", fixture.root.string], output: .brokenPipe)
        defer { process.stop() }
        #expect(waitUntil(seconds: 10) { LoopbackClient.isListening(port: 3298) || !process.isRunning })
        for _ in 0..<20 { LoopbackClient.sendAndReset(port: 3298, LoopbackClient.devListRequest) }
        #expect(DaemonFixtures.answers("usbipd", port: 3298))
        #expect(process.isRunning, "ended with status \(process.exitStatus ?? -1)")
    }
}
