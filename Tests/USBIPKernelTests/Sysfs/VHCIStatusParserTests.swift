import SystemPackage
import Testing
import USBIPWire
import USBIPSupport
import USBIPKernel
import USBIPTestSupport

@Suite struct VHCIStatusParserTests {
    /// Reads a captured `status*` file of controller 0.
    func captured(_ tree: String, _ file: String) throws -> String {
        let sysfs = Sysfs(root: Fixtures.path(tree + "/sys"))
        return String(decoding: try sysfs.readBytes("devices/platform/vhci_hcd.0/" + file), as: UTF8.self)
    }

    static let statusFiles = ["status"] + (1...7).map { "status.\($0)" }

    @Test(arguments: statusFiles)
    func idleCaptureHasThirtyFreePortsPerController(_ file: String) throws {
        let controller = file == "status" ? 0 : Int(file.dropFirst("status.".count)) ?? -1
        let ports = try VHCIStatusParser.parse(try captured("sysfs-idle", file))
        #expect(ports.count == 30)
        #expect(ports.map(\.port) == Array(controller * 30..<(controller + 1) * 30))
        #expect(ports.prefix(15).allSatisfy { $0.hub == .high })
        #expect(ports.suffix(15).allSatisfy { $0.hub == .super })
        #expect(ports.allSatisfy { $0.isFree && !$0.isInUse && $0.portStatus == .free })
        #expect(ports.allSatisfy { $0.localBusID == nil && $0.devid.rawValue == 0 && $0.speed == .unknown })
        #expect(ports.allSatisfy { $0.socketToken == "000000" })
    }

    @Test func attachedCaptureShowsPort15OnTheSuperSpeedHub() throws {
        let ports = try VHCIStatusParser.parse(try captured("sysfs-attached", "status"))
        #expect(ports.count == 30)
        let used = ports.filter { !$0.isFree }
        #expect(used.count == 1)
        let port = try #require(used.first)
        #expect(port.port == 15)
        #expect(port.hub == .super)
        #expect(port.status == 6 && port.portStatus == .used && port.isInUse)
        #expect(port.speed == .super)
        #expect(port.devid == DevID(busnum: 2, devnum: 2))
        #expect(port.socketToken == "000003")
        #expect(port.localBusID == BusID("4-1"))
    }

    @Test func notReadyControllerLinesParse() throws {
        let text = """
            hub port sta spd dev      sockfd local_busid
            hs  0008 005 000 00000000 0000000000000000 0-0
            ss  0012 005 000 00000000 0000000000000000 0-0

            """
        let ports = try VHCIStatusParser.parse(text)
        #expect(ports.map(\.port) == [8, 12])
        #expect(ports.map(\.hub) == [.high, .super])
        #expect(ports.allSatisfy { $0.portStatus == .notAssigned && !$0.isFree && !$0.isInUse })
        #expect(ports.allSatisfy { $0.socketToken == "0000000000000000" })
    }

    @Test func legacyLayoutWithoutHubColumnAndWithPointer() throws {
        // Pre-4.13 kernels (protocol.md §2.4.3): `%04u %03u` + `%03u %08x %16p %s`.
        let text = """
            port sta spd dev      socket           local_busid
            0000 006 003 00010002 ffff880036b2d000 3-1
            0001 004 000 00000000 0000000000000000 0-0

            """
        let ports = try VHCIStatusParser.parse(text)
        #expect(ports.count == 2)
        #expect(ports.allSatisfy { $0.hub == nil })
        #expect(ports[0].port == 0 && ports[0].portStatus == .used && ports[0].speed == .high)
        #expect(ports[0].devid == DevID(busnum: 1, devnum: 2))
        #expect(ports[0].socketToken == "ffff880036b2d000")
        #expect(ports[0].localBusID == BusID("3-1"))
        #expect(ports[1].isFree && ports[1].localBusID == nil)
    }

    @Test func transitionalLayoutWithPointerInSockfdColumn() throws {
        let text = """
            hub port sta spd dev      sockfd local_busid
            hs  0000 006 003 00010002 ffff8800b5c4e000 3-1
            ss  0008 004 000 00000000 0000000000000000 0-0

            """
        let ports = try VHCIStatusParser.parse(text)
        #expect(ports.map(\.port) == [0, 8])
        #expect(ports[0].hub == .high && ports[0].socketToken == "ffff8800b5c4e000")
        #expect(ports[0].devid.rawValue == 0x0001_0002)
        #expect(ports[1].hub == .super && ports[1].isFree)
    }

    @Test func protocolDocExampleParses() throws {
        let text = """
            hub port sta spd dev      sockfd local_busid
            hs  0000 006 003 00010002 000003 3-1
            hs  0001 004 000 00000000 000000 0-0
            ss  0008 004 000 00000000 000000 0-0
            """
        let ports = try VHCIStatusParser.parse(text)
        #expect(ports.map(\.port) == [0, 1, 8])
        #expect(ports[0].localBusID == BusID("3-1") && ports[0].speed == .high && ports[0].socketToken == "000003")
    }

    @Test func emptyAndHeaderOnlyTextsHaveNoPorts() throws {
        #expect(try VHCIStatusParser.parse("").isEmpty)
        #expect(try VHCIStatusParser.parse("hub port sta spd dev      sockfd local_busid\n").isEmpty)
    }

    @Test func unknownSpeedValueBecomesUnknown() throws {
        let ports = try VHCIStatusParser.parse("ss  0015 006 009 00020002 000003 4-1\n")
        #expect(ports.first?.speed == .unknown)
        #expect(ports.first?.status == 6)
    }

    @Test(arguments: [
        "hs  0000 004 000 00000000 000000",  // missing local_busid
        "hs  0000 004",  // the C parser's "sorry, it's a bug!" case
        "hs  0000 004 000 00000000 000000 0-0 extra",
        "xx  0000 004 000 00000000 000000 0-0",
        "hs  00a0 004 000 00000000 000000 0-0",
        "hs  0000 -04 000 00000000 000000 0-0",
        "hs  0000 004 000 0000000g 000000 0-0",
        "hs  0000 004 000 1000000000 000000 0-0",  // devid wider than 32 bits
        "hs  99999999999 004 000 00000000 000000 0-0",  // port overflows
        "hs  0000 4294967296 000 00000000 000000 0-0",
        "hs  0000 006 003 00010002 000003 a/b",  // not a bus id
        "0000 004 000 00000000 0-0",  // legacy, a column short
        "garbage",
    ])
    func malformedLinesThrowInsteadOfTrapping(_ line: String) {
        let text = "hub port sta spd dev      sockfd local_busid\n" + line + "\n"
        #expect(throws: USBIPError.malformedAttribute(path: "/sys/x/status", value: line)) {
            try VHCIStatusParser.parse(text, source: "/sys/x/status")
        }
    }

    @Test func arbitraryBytesNeverTrap() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("hs 0123456789abcdefx-\n\t.:".utf8)
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<80 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                bytes.append(alphabet[Int(z % UInt64(alphabet.count))])
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let ports = try? VHCIStatusParser.parse(text) {
                #expect(ports.allSatisfy { $0.port >= 0 })
            }
        }
    }
}
