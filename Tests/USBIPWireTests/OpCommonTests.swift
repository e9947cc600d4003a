import Testing
import USBIPWire

@Suite struct OpCommonTests {
    @Test func constants() {
        #expect(USBIPProtocol.version == 0x0111)
        #expect(USBIPProtocol.defaultTCPPort == 3240)
        #expect(OpCommon.byteCount == 8)
    }

    @Test func opCodesMatchTheKernelValues() {
        let expected: [(OpCode, UInt16)] = [
            (.devInfoRequest, 0x8002), (.importRequest, 0x8003), (.crypKeyRequest, 0x8004),
            (.devListRequest, 0x8005), (.exportRequest, 0x8006), (.unexportRequest, 0x8007),
            (.devInfoReply, 0x0002), (.importReply, 0x0003), (.crypKeyReply, 0x0004),
            (.devListReply, 0x0005), (.exportReply, 0x0006), (.unexportReply, 0x0007),
        ]
        #expect(expected.count == OpCode.allCases.count)
        for (code, raw) in expected {
            #expect(code.rawValue == raw)
            #expect(code.isRequest == (raw & 0x8000 != 0))
            #expect(code.reply.rawValue == raw & 0x7FFF)
            #expect(code.request.rawValue == raw | 0x8000)
        }
    }

    @Test func headerLayout() throws {
        let header = OpCommon(code: .importReply, status: .noDevice)
        #expect(header.serialized() == [0x01, 0x11, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04])
        #expect(try OpCommon(parsingAll: header.serialized()) == header)
    }

    @Test func unknownCodesAreKept() throws {
        let header = try OpCommon(parsingAll: [0x01, 0x11, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF])
        #expect(header.code == 0x1234)
        #expect(header.opCode == nil)
        #expect(header.status == 0xDEAD_BEEF)
    }

    @Test(arguments: [UInt16(0x0100), 0x0000, 0x0110, 0x1101, 0xFFFF])
    func wrongVersionIsRejected(_ version: UInt16) {
        var bytes = OpCommon(code: .devListRequest).serialized()
        bytes[0] = UInt8(version >> 8)
        bytes[1] = UInt8(version & 0xFF)
        #expect(throws: WireError.unsupportedVersion(version)) { try OpCommon(parsingAll: bytes) }
        #expect(throws: WireError.unsupportedVersion(version)) { try Request(parsingAll: bytes) }
        #expect(throws: WireError.unsupportedVersion(version)) { try DevListReply(parsingAll: bytes) }
    }

    @Test func expectingReplyChecksTheCodeOnly() throws {
        let failed = OpCommon(code: .importReply, status: .deviceBusy)
        #expect(try failed.expecting(reply: .importReply) == failed)
        #expect(throws: WireError.unexpectedReply(expected: 0x0005, received: 0x0003)) {
            try failed.expecting(reply: .devListReply)
        }
    }

    @Test func expectingRequestChecksCodeAndStatus() throws {
        #expect(throws: WireError.unknownOpCode(0x8003)) {
            try OpCommon(code: .importRequest).expecting(request: .devListRequest)
        }
        #expect(throws: WireError.invalidValue(field: "status", value: 1)) {
            try OpCommon(code: .devListRequest, status: .na).expecting(request: .devListRequest)
        }
    }

    // MARK: - Status texts (protocol §1.3)

    @Test func mainlineTextsForDevListAndImport() {
        let expected: [UInt32: String] = [
            0: "Request Completed Successfully", 1: "Request Failed", 2: "Device busy (exported)",
            3: "Device in error state", 4: "Device not found", 5: "Unexpected response",
            6: "Unknown Op Common Status", 0xFFFF_FFFF: "Unknown Op Common Status",
        ]
        for (raw, text) in expected {
            #expect(OpStatus(rawValue: raw).text(for: .importDevice) == text)
            #expect(OpStatus(rawValue: raw).text(for: .devList) == text)
        }
    }

    @Test func nextTextsForExportAndUnexport() {
        let expected: [UInt32: String] = [
            0: "unknown error", 1: "not available", 2: "no free port", 3: "device not found", 4: "unknown error",
        ]
        for (raw, text) in expected {
            #expect(OpStatus(rawValue: raw).text(for: .export) == text)
            #expect(OpStatus(rawValue: raw).text(for: .unexport) == text)
        }
    }

    @Test func namedStatusesHaveTheirWireValues() {
        let named: [(OpStatus, UInt32)] = [
            (.ok, 0), (.na, 1), (.deviceBusy, 2), (.deviceError, 3), (.noDevice, 4), (.error, 5),
            (.exportNoFreePort, 2), (.exportDeviceNotFound, 3),
        ]
        for (status, raw) in named {
            #expect(status.rawValue == raw)
            #expect(status.isSuccess == (raw == 0))
        }
        #expect(OpStatus.exportNoFreePort.text(for: .export) == "no free port")
        #expect(OpStatus.exportDeviceNotFound.text(for: .unexport) == "device not found")
        #expect(OpStatus.deviceBusy.text(for: .importDevice) == "Device busy (exported)")
    }

    // MARK: - Probe bytes of protocol §0.2 (Debian usbipd)

    @Test func emptyDevListReplyFromUsbipd() throws {
        let bytes: [UInt8] = [0x01, 0x11, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let reply = try DevListReply(parsingAll: bytes)
        #expect(reply.status == .ok)
        #expect(reply.devices.isEmpty)
        #expect(reply.serialized() == bytes)
        #expect(DevListReply(devices: []).serialized() == bytes)
    }

    @Test func importNoDeviceReplyFromUsbipd() throws {
        let bytes: [UInt8] = [0x01, 0x11, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04]
        let reply = try ImportReply(parsingAll: bytes)
        #expect(reply.status == .noDevice)
        #expect(reply.device == nil)
        #expect(reply.status.text(for: .importDevice) == "Device not found")
        #expect(ImportReply.failure(.noDevice).serialized() == bytes)
    }
}
