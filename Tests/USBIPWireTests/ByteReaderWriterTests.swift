import Testing
import USBIPWire
import USBIPTestSupport

@Suite struct ByteReaderWriterTests {
    @Test func integersAreBigEndian() throws {
        var reader = ByteReader([0x01, 0x11, 0x00, 0x00, 0x00, 0x05, 0xFF, 0xFF, 0xFF, 0xFE, 0x80])
        #expect(try reader.readInteger() as UInt16 == 0x0111)
        #expect(try reader.readInteger() as UInt32 == 5)
        #expect(try reader.readInteger() as Int32 == -2)
        #expect(try reader.readInteger() as Int8 == -128)
        #expect(reader.remaining == 0)
        #expect(reader.readerIndex == 11)
    }

    @Test(arguments: [UInt64(0), 1, 0x0102_0304_0506_0708, .max, 0x8000_0000_0000_0000])
    func integerRoundTrip(_ value: UInt64) throws {
        var writer = ByteWriter()
        writer.writeInteger(value)
        writer.writeInteger(Int32(truncatingIfNeeded: value))
        writer.writeInteger(UInt16(truncatingIfNeeded: value))
        #expect(writer.bytes.count == 14)
        #expect(writer.bytes.first == UInt8(value >> 56))
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readInteger() as UInt64 == value)
        #expect(try reader.readInteger() as Int32 == Int32(truncatingIfNeeded: value))
        #expect(try reader.readInteger() as UInt16 == UInt16(truncatingIfNeeded: value))
    }

    @Test func shortReadsThrowTruncatedAndDoNotMove() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: WireError.truncated(needed: 4, available: 3)) { try reader.readInteger(as: UInt32.self) }
        #expect(reader.readerIndex == 0)
        #expect(throws: WireError.truncated(needed: 5, available: 3)) { try reader.readBytes(count: 5) }
        #expect(throws: WireError.truncated(needed: 8, available: 3)) { try reader.readFixedString(count: 8) }
        #expect(reader.remaining == 3)
    }

    @Test func negativeCountsAreRejected() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: WireError.self) { try reader.readBytes(count: -1) }
        #expect(reader.readerIndex == 0)
    }

    @Test func fixedStringsArePaddedAndEndAtTheFirstNUL() throws {
        var writer = ByteWriter()
        writer.writeFixedString("ab", count: 6)
        #expect(writer.bytes == [0x61, 0x62, 0, 0, 0, 0])
        var reader = ByteReader([0x61, 0x62, 0, 0x7A, 0, 0xFF])
        #expect(try reader.readFixedString(count: 6) == "ab")
        #expect(reader.readerIndex == 6)
    }

    @Test func fixedStringsNeedANULAndValidUTF8() {
        var noNUL = ByteReader([0x61, 0x62, 0x63])
        #expect(throws: WireError.invalidString(field: "path")) { try noNUL.readFixedString(count: 3, field: "path") }
        var badUTF8 = ByteReader([0xC3, 0x28, 0])
        #expect(throws: WireError.invalidString(field: "string")) { try badUTF8.readFixedString(count: 3) }
    }

    @Test func longTextIsCutWithoutSplittingCharacters() throws {
        var writer = ByteWriter()
        writer.writeFixedString("aéé", count: 5)  // a C3 A9 C3 A9: only "aé" fits before the NUL
        #expect(writer.bytes == [0x61, 0xC3, 0xA9, 0, 0])
        var exact = ByteWriter()
        exact.writeFixedString("abcd", count: 5)
        #expect(exact.bytes == [0x61, 0x62, 0x63, 0x64, 0])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readFixedString(count: 5) == "aé")
    }

    @Test func longPathIsCutTo255Bytes() throws {
        var record = WireSamples.record()
        record.path = "/" + String(repeating: "x", count: 300)
        let bytes = record.serialized()
        #expect(bytes.count == DeviceRecord.byteCount)
        let parsed = try DeviceRecord(parsingAll: bytes)
        #expect(parsed.path.utf8.count == 255)
        #expect(record.path.hasPrefix(parsed.path))
    }
}
