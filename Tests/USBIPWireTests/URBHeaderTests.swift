import Testing
import USBIPWire
import USBIPTestSupport

@Suite struct URBHeaderTests {
    /// The HID interrupt IN example of `Documentation/usb/usbip_protocol.rst` (protocol.md §1.9).
    @Test func hidExampleCommand() throws {
        let bytes = try #require(Hex.bytes(URBSamples.hidCommandHex))
        #expect(bytes.count == URBHeader.byteCount)
        let command = try CmdSubmit(parsingAll: bytes)
        #expect(command.seqnum == 0xD05)
        #expect(command.devid == DevID(busnum: 1, devnum: 15))
        #expect(command.direction == .in)
        #expect(command.ep == 1)
        #expect(command.transferFlags == .dirIn)
        #expect(command.transferBufferLength == 64)
        #expect(command.startFrame == -1)
        #expect(command.numberOfPackets == 0)
        #expect(command.interval == 4)
        #expect(command.setup == Array(repeating: 0, count: 8))
        #expect(command == URBSamples.hidCommand)
        #expect(command.serialized() == bytes)
        #expect(try URBHeader(parsingAll: bytes) == .cmdSubmit(command))
    }

    @Test func hidExampleResultWithItsPayload() throws {
        let header = try #require(Hex.bytes(URBSamples.hidResultHex))
        let payload = (0..<64).map { UInt8($0) }
        var reader = ByteReader(header + payload)
        let result = try RetSubmit(parsing: &reader)
        #expect(result.seqnum == 0xD05)
        #expect(result.devid.rawValue == 0)
        #expect(result.direction == .out)
        #expect(result.ep == 0)
        #expect(result.status == 0)
        #expect(result.actualLength == 64)
        #expect(result.startFrame == -1)
        #expect(result.numberOfPackets == 0)
        #expect(result.errorCount == 0)
        #expect(try reader.readBytes(count: Int(result.actualLength)) == payload)
        #expect(reader.remaining == 0)
        #expect(result.serialized() == header)
        #expect(result == URBSamples.hidResult)
    }

    @Test func setupBytesAreNotSwapped() throws {
        let bytes = URBSamples.controlCommand.serialized()
        #expect(Array(bytes[0x28..<0x30]) == [0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x12, 0x00])
        #expect(Array(bytes[0x14..<0x18]) == [0, 0, 0x02, 0x01])  // DIR_IN | SHORT_NOT_OK
        #expect(Array(bytes[0x20..<0x24]) == [0xFF, 0xFF, 0xFF, 0xFF])  // number_of_packets -1
    }

    @Test func unlinkLayout() throws {
        let bytes = URBSamples.unlink.serialized()
        #expect(bytes.count == 48)
        #expect(Array(bytes[0..<4]) == [0, 0, 0, 2])
        #expect(Array(bytes[0x14..<0x18]) == [0, 0, 0x0D, 0x05])
        #expect(bytes[0x18...].allSatisfy { $0 == 0 })
        let result = URBSamples.unlinkResult.serialized()
        #expect(Array(result[0x14..<0x18]) == [0xFF, 0xFF, 0xFF, 0x98])  // -104, -ECONNRESET
        #expect(try URBHeader(parsingAll: result) == .retUnlink(URBSamples.unlinkResult))
    }

    @Test func unusedBytesAreIgnoredOnInputAndZeroOnOutput() throws {
        var bytes = URBSamples.unlink.serialized()
        bytes[0x20] = 0x5A
        let parsed = try CmdUnlink(parsingAll: bytes)
        #expect(parsed == URBSamples.unlink)
        #expect(parsed.serialized()[0x20] == 0)
    }

    @Test(arguments: [UInt32(0), 5, 0x8003, 0xFFFF_FFFF])
    func unknownCommandIsUnknownOpCode(_ command: UInt32) throws {
        var bytes = URBSamples.hidCommand.serialized()
        var writer = ByteWriter()
        writer.writeInteger(command)
        bytes.replaceSubrange(0..<4, with: writer.bytes)
        #expect(throws: WireError.unknownOpCode(command)) { try URBHeader(parsingAll: bytes) }
        #expect(try URBHeaderBasic(parsingAll: Array(bytes.prefix(20))).command == command)
    }

    @Test func specificParsersCheckTheCommand() {
        let bytes = URBSamples.hidCommand.serialized()
        #expect(throws: WireError.unknownOpCode(1)) { try RetSubmit(parsingAll: bytes) }
        #expect(throws: WireError.unknownOpCode(1)) { try CmdUnlink(parsingAll: bytes) }
        #expect(throws: WireError.unknownOpCode(1)) { try RetUnlink(parsingAll: bytes) }
    }

    @Test func isoDescriptorsFollowTheHeader() throws {
        let descriptors = [
            ISOPacketDescriptor(offset: 0, length: 192, actualLength: 192, status: 0),
            ISOPacketDescriptor(offset: 192, length: 192, actualLength: 0, status: -18),
        ]
        var writer = ByteWriter()
        ISOPacketDescriptor.writeList(descriptors, to: &writer)
        #expect(writer.bytes.count == 32)
        #expect(Array(writer.bytes[28..<32]) == [0xFF, 0xFF, 0xFF, 0xEE])
        var reader = ByteReader(writer.bytes)
        #expect(try ISOPacketDescriptor.parseList(count: 2, from: &reader) == descriptors)
        #expect(ISOPacketDescriptor.maxPackets == 1024)
    }

    @Test func transferFlagWireValues() {
        let expected: [(URBTransferFlags, UInt32)] = [
            (.shortNotOK, 0x1), (.isoASAP, 0x2), (.noTransferDMAMap, 0x4), (.zeroPacket, 0x40), (.noInterrupt, 0x80),
            (.freeBuffer, 0x100), (.dirIn, 0x200), (.dirMask, 0x200), (.dmaMapSingle, 0x10000),
            (.dmaMapPage, 0x20000), (.dmaMapSG, 0x40000), (.mapLocal, 0x80000), (.setupMapSingle, 0x100000),
            (.setupMapLocal, 0x200000), (.dmaSGCombined, 0x400000), (.alignedTempBuffer, 0x800000),
        ]
        for (flag, raw) in expected { #expect(flag.rawValue == raw) }
        #expect(URBCommand.allCases.map(\.rawValue) == [1, 2, 3, 4])
    }
}
