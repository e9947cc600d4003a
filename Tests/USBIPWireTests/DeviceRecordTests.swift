import Testing
import USBIPWire
import USBIPTestSupport

@Suite struct DeviceRecordTests {
    static let busidOffset = 256

    func recordBytes(busidField: [UInt8]) -> [UInt8] {
        var bytes = WireSamples.record().serialized()
        bytes.replaceSubrange(Self.busidOffset..<Self.busidOffset + 32, with: busidField)
        return bytes
    }

    func field(_ text: [UInt8]) -> [UInt8] { text + Array(repeating: 0, count: 32 - text.count) }

    @Test func layoutOffsets() {
        let record = DeviceRecord(
            path: "/p", busid: BusID("3-3.2")!, busnum: 0x0102_0304, devnum: 0x0506_0708, speed: 3,
            idVendor: 0x1D6B, idProduct: 0x0002, bcdDevice: 0x0610, bDeviceClass: 9, bDeviceSubClass: 1,
            bDeviceProtocol: 2, bConfigurationValue: 3, bNumConfigurations: 4, bNumInterfaces: 5
        )
        let bytes = record.serialized()
        #expect(bytes.count == 312)
        #expect(Array(bytes[0..<3]) == [0x2F, 0x70, 0x00])
        #expect(Array(bytes[0x100..<0x106]) == Array("3-3.2".utf8) + [0])
        #expect(Array(bytes[0x120..<0x12C]) == [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 3])
        #expect(Array(bytes[0x12C..<0x132]) == [0x1D, 0x6B, 0x00, 0x02, 0x06, 0x10])
        #expect(Array(bytes[0x132..<0x138]) == [9, 1, 2, 3, 4, 5])
        #expect(record.devid == DevID(rawValue: 0x0304_0708))
        #expect(record.usbSpeed == .high)
    }

    @Test func unknownSpeedIsKeptRawAndReadAsUnknown() throws {
        var record = WireSamples.record()
        record.speed = 99
        let parsed = try DeviceRecord(parsingAll: record.serialized())
        #expect(parsed.speed == 99)
        #expect(parsed.usbSpeed == .unknown)
    }

    @Test func maximalBusIDIsAccepted() throws {
        let longest = String(repeating: "1", count: 31)
        let parsed = try DeviceRecord(parsingAll: recordBytes(busidField: field(Array(longest.utf8))))
        #expect(parsed.busid.rawValue == longest)
    }

    static let badBusIDFields: [[UInt8]] = [
        Array(repeating: 0, count: 32),  // empty
        Array(repeating: 0x31, count: 32),  // 32 characters, no NUL
        Array("2-1".utf8) + [0, 0x41] + Array(repeating: 0, count: 27),  // garbage after the NUL
        Array("2-1".utf8) + [0] + Array(repeating: 0xFF, count: 28),
        [0xC3, 0xA9, 0x2D, 0x31] + Array(repeating: 0, count: 28),  // "é-1": not ASCII
        [0x32, 0x2D, 0x80] + Array(repeating: 0, count: 29),  // invalid UTF-8
        Array("2 1".utf8) + Array(repeating: 0, count: 29),  // space
        Array("../1".utf8) + Array(repeating: 0, count: 28),  // slash
        Array("..".utf8) + Array(repeating: 0, count: 30),
    ]

    @Test(arguments: badBusIDFields)
    func invalidBusIDFieldsAreRejected(_ busidField: [UInt8]) {
        #expect(busidField.count == 32)
        #expect(throws: WireError.invalidBusID) { try DeviceRecord(parsingAll: recordBytes(busidField: busidField)) }
        let request = OpCommon(code: .importRequest).serialized() + busidField
        #expect(throws: WireError.invalidBusID) { try ImportRequest(parsingAll: request) }
        #expect(throws: WireError.invalidBusID) { try Request(parsingAll: request) }
    }

    @Test func pathWithoutNULIsRejected() {
        var bytes = WireSamples.record().serialized()
        for index in 0..<256 { bytes[index] = 0x61 }
        #expect(throws: WireError.invalidString(field: "path")) { try DeviceRecord(parsingAll: bytes) }
    }

    @Test func pathWithInvalidUTF8IsRejected() {
        var bytes = WireSamples.record().serialized()
        bytes[1] = 0xFF
        #expect(throws: WireError.invalidString(field: "path")) { try DeviceRecord(parsingAll: bytes) }
    }

    @Test func nonASCIIPathSurvives() throws {
        var record = WireSamples.record()
        record.path = "/sys/devices/ünïcödé"
        #expect(try DeviceRecord(parsingAll: record.serialized()) == record)
    }

    @Test func exportedDeviceFramesByBNumInterfaces() throws {
        var device = WireSamples.device(interfaceCount: 3)
        #expect(device.serialized().count == 312 + 3 * 4)
        device.interfaces.removeLast()  // one fewer than announced: padded with a zero record
        let padded = try ExportedDevice(parsingAll: device.serialized())
        #expect(padded.interfaces.count == 3)
        let zero = InterfaceRecord(bInterfaceClass: 0, bInterfaceSubClass: 0, bInterfaceProtocol: 0)
        #expect(padded.interfaces[2] == zero)
        device.interfaces += [device.interfaces[0], device.interfaces[0]]  // more than announced: cut
        #expect(device.serialized().count == 312 + 3 * 4)
    }

    @Test func interfaceRecordsAreFourBytes() throws {
        let interface = InterfaceRecord(bInterfaceClass: 3, bInterfaceSubClass: 1, bInterfaceProtocol: 2)
        #expect(interface.serialized() == [3, 1, 2, 0])
        #expect(try InterfaceRecord(parsingAll: [3, 1, 2, 0xEE]) == interface)
    }
}
