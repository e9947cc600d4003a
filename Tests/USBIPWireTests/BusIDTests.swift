import Testing
import USBIPWire

@Suite struct BusIDTests {
    @Test(arguments: ["1-1", "3-3.2", "usbip-vudc.0", String(repeating: "1", count: 31)])
    func acceptsKernelNames(_ text: String) {
        #expect(BusID(text)?.rawValue == text)
    }

    @Test(arguments: ["", "a b", "1/2", "..", String(repeating: "1", count: 32), "1-1\n", "é"])
    func rejectsInvalidNames(_ text: String) {
        #expect(BusID(text) == nil)
    }

    @Test func busNumberComesFromTheFirstField() {
        #expect(BusID("2-1.3")?.busNumber == 2)
        #expect(BusID("usbip-vudc.0")?.busNumber == nil)
    }

    @Test func devIDKeepsSixteenBitHalves() {
        let id = DevID(busnum: 300, devnum: 2)
        #expect(id.rawValue == 300 << 16 | 2)
        #expect(id.busnum == 300 && id.devnum == 2)
        #expect(id.description == "012c0002")
    }
}
