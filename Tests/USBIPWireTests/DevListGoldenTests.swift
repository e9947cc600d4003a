import Testing
import USBIPWire
import USBIPTestSupport

/// The OP_REP_DEVLIST that Debian's usbipd (6.1) sent for one bound device, captured on the wire.
@Suite struct DevListGoldenTests {
    let capture: [UInt8]

    init() throws {
        capture = try Hex.fixture("outputs/wire-devlist.hex")
    }

    @Test func captureHasTheExpectedSize() {
        #expect(capture.count == OpCommon.byteCount + 4 + DeviceRecord.byteCount)
        #expect(DeviceRecord.byteCount == 312)
        #expect(InterfaceRecord.byteCount == 4)
    }

    @Test func everyFieldParses() throws {
        var reader = ByteReader(capture)
        let header = try OpCommon(parsing: &reader)
        #expect(header.version == 0x0111)
        #expect(header.opCode == .devListReply)
        #expect(header.status == 0)
        #expect(try reader.readInteger() as UInt32 == 1)  // ndev

        let reply = try DevListReply(parsingAll: capture)
        #expect(reply.status == .ok)
        try #require(reply.devices.count == 1)
        let device = reply.devices[0]
        let record = device.record
        #expect(record.path == "/sys/devices/pci0000:00/0000:00:05.0/usb2/2-1")
        #expect(record.busid.rawValue == "2-1")
        #expect(record.busnum == 2)
        #expect(record.devnum == 2)
        #expect(record.speed == 5)
        #expect(record.usbSpeed == .super)
        #expect(record.idVendor == 0x46F4)
        #expect(record.idProduct == 0x0001)
        #expect(record.bcdDevice == 0x0000)
        #expect(record.bDeviceClass == 0)
        #expect(record.bDeviceSubClass == 0)
        #expect(record.bDeviceProtocol == 0)
        #expect(record.bConfigurationValue == 0)
        #expect(record.bNumConfigurations == 1)
        #expect(record.bNumInterfaces == 0)
        #expect(device.interfaces.isEmpty)
        #expect(record.devid == DevID(rawValue: 0x0002_0002))
    }

    @Test func reserializationReproducesTheCapture() throws {
        let reply = try DevListReply(parsingAll: capture)
        #expect(reply.serialized() == capture)
        #expect(try Reply(parsingAll: capture) == .devList(reply))
    }

    @Test func streamReceiveReadsExactFrames() throws {
        var stream = MemoryStream(input: capture + [0xAA])
        let reply = try DevListReply.receive(from: &stream)
        #expect(reply == (try DevListReply(parsingAll: capture)))
        #expect(stream.readSizes == [8, 4, 312])
        #expect(stream.remainingInput == 1)
    }

    /// The capture has no interfaces, so its padding bytes cannot be checked directly: announce one interface whose
    /// padding byte is garbage (as mainline's uninitialised `realloc` memory can be) and check it parses and is
    /// written back as 0.
    @Test func nonZeroInterfacePaddingIsAcceptedAndWrittenAsZero() throws {
        var bytes = capture
        bytes[11] = 1  // ndev stays 1
        bytes[bytes.count - 1] = 1  // bNumInterfaces
        bytes += [0x08, 0x06, 0x50, 0xA5]
        let reply = try DevListReply(parsingAll: bytes)
        #expect(reply.devices[0].interfaces == [
            InterfaceRecord(bInterfaceClass: 8, bInterfaceSubClass: 6, bInterfaceProtocol: 0x50)
        ])
        var expected = bytes
        expected[expected.count - 1] = 0
        #expect(reply.serialized() == expected)

        var stream = MemoryStream(input: bytes)
        #expect(try DevListReply.receive(from: &stream) == reply)
        #expect(stream.readSizes == [8, 4, 312, 4])
    }

    @Test func garbageAfterThePathNULIsIgnored() throws {
        var bytes = capture
        let pathEnd = 12 + "/sys/devices/pci0000:00/0000:00:05.0/usb2/2-1".utf8.count
        bytes[pathEnd + 5] = 0x41
        let reply = try DevListReply(parsingAll: bytes)
        #expect(reply.devices[0].record.path == "/sys/devices/pci0000:00/0000:00:05.0/usb2/2-1")
        #expect(reply.serialized() == capture)
    }
}
