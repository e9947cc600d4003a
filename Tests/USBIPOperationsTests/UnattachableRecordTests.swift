import Testing
import USBIPWire
import USBIPOperations

/// Which offered device records vhci_hcd cannot attach as sent, and how the log says why.
@Suite struct UnattachableRecordTests {
    static func record(speed: UInt32, busnum: UInt32 = 2, devnum: UInt32 = 3) -> DeviceRecord {
        var record = sampleRecord()
        record.speed = speed
        record.busnum = busnum
        record.devnum = devnum
        return record
    }

    static let busid = BusID("2-1")!  // swiftlint:disable:this force_unwrapping

    @Test func speedsOutsideLowToSuperSpeedPlusAreRefused() {
        for speed: UInt32 in [0, 7, 8, 0xFFFF_FFFF] {
            #expect(UnattachableRecord.check(Self.record(speed: speed)) == .unsupportedSpeed(Self.busid, speed))
        }
        for speed: UInt32 in 1...6 {
            #expect(UnattachableRecord.check(Self.record(speed: speed)) == nil)
        }
    }

    @Test func busAndDeviceNumbersMustMakeTheStubsDevid() {
        #expect(UnattachableRecord.check(Self.record(speed: 3, busnum: 0x1_0000)) == .busNumberOutOfRange(Self.busid, 0x1_0000))
        #expect(
            UnattachableRecord.check(Self.record(speed: 3, devnum: 0))
                == .deviceNumberOutOfRange(Self.busid, busnum: 2, devnum: 0))
        #expect(
            UnattachableRecord.check(Self.record(speed: 3, devnum: 128))
                == .deviceNumberOutOfRange(Self.busid, busnum: 2, devnum: 128))
        #expect(
            UnattachableRecord.check(Self.record(speed: 3, busnum: 0, devnum: 1))
                == .deviceNumberOutOfRange(Self.busid, busnum: 0, devnum: 1))
        // A vUDC gadget (bus and device number 0) and the extremes of a real device.
        #expect(UnattachableRecord.check(Self.record(speed: 3, busnum: 0, devnum: 0)) == nil)
        #expect(UnattachableRecord.check(Self.record(speed: 3, busnum: 1, devnum: 1)) == nil)
        #expect(UnattachableRecord.check(Self.record(speed: 3, busnum: 0xFFFF, devnum: 127)) == nil)
    }

    @Test func theLogLineNamesTheDeviceAndTheField() {
        #expect(
            UnattachableRecord.unsupportedSpeed(Self.busid, 7).description
                == "cannot attach 2-1: speed 7 is not one vhci_hcd takes (1 low to 6 SuperSpeedPlus); "
                + "the exporting side sent a bad record")
        #expect(UnattachableRecord.busNumberOutOfRange(Self.busid, 65536).description.hasPrefix("cannot attach 2-1: bus number 65536 "))
        #expect(
            UnattachableRecord.deviceNumberOutOfRange(Self.busid, busnum: 2, devnum: 0).description
                .hasPrefix("cannot attach 2-1: device number 0 on bus 2 is not a USB address"))
    }
}
