#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Logging
import Testing
import USBIPSupport

/// `JOURNAL_STREAM` matching and the sd-daemon priority prefixes of the daemons' (and usbip's) stderr lines.
@Suite struct JournalStreamTests {
    /// `"<device>:<inode>"` of the file open as `fd`, as systemd writes it.
    static func identity(_ fd: Int32) -> String {
        var info = stat()
        precondition(fstat(fd, &info) == 0)
        return "\(info.st_dev):\(info.st_ino)"
    }

    @Test func theStreamMatchesOnlyTheFileItNames() {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let other = open("/dev/null", O_WRONLY)
        defer { close(other) }
        // Both ends of a pipe are the same inode; /dev/null is another file.
        #expect(JournalStream.matches(Self.identity(ends[1]), fd: ends[1]))
        #expect(JournalStream.matches(Self.identity(ends[1]), fd: ends[0]))
        #expect(!JournalStream.matches(Self.identity(ends[1]), fd: other))
        #expect(!JournalStream.matches(Self.identity(other), fd: ends[1]))
    }

    @Test(arguments: ["", ":", "1", "1:", ":2", "a:b", "1:2:3", " 1:2", "-1:2"])
    func malformedValuesMatchNothing(_ value: String) {
        #expect(!JournalStream.matches(value, fd: 2))
    }

    @Test func aClosedDescriptorMatchesNothing() {
        #expect(!JournalStream.matches("0:0", fd: -1))
    }

    @Test(arguments: [
        (Logger.Level.trace, "<7>usbipd: debug: m\n"), (.debug, "<7>usbipd: debug: m\n"), (.info, "<6>usbipd: info: m\n"),
        (.notice, "<5>usbipd: info: m\n"), (.warning, "<4>usbipd: warning: m\n"), (.error, "<3>usbipd: error: m\n"),
        (.critical, "<2>usbipd: error: m\n"),
    ])
    func linesCarryTheirPriorityOnTheJournalStream(_ level: Logger.Level, _ expected: String) {
        let handler = ToolLogHandler(program: "usbipd", level: .trace, output: .standardError, priorityPrefixes: true)
        #expect(handler.line(level: level, message: "m", metadata: nil) == expected)
        let plain = ToolLogHandler(program: "usbipd", level: .trace, output: .standardError, priorityPrefixes: false)
        #expect(plain.line(level: level, message: "m", metadata: nil) == String(expected.dropFirst(3)))
    }

    @Test func debugLinesKeepTheirMetadataAfterThePrefix() {
        let handler = ToolLogHandler(program: "usbip", level: .debug, priorityPrefixes: true)
        #expect(handler.line(level: .debug, message: "m", metadata: ["busid": "2-1"]) == "<7>usbip: debug: m busid=2-1\n")
    }
}
