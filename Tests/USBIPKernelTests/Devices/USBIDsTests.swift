import SystemPackage
import Testing
import USBIPKernel
import USBIPTestSupport

/// `USBIDs` against the installed usb.ids and the C tools' captured outputs, and on small synthetic files.
@Suite struct USBIDsTests {
    static let installed = USBIDs()

    /// `(vendor, product, text)` of each product line (`   <text>`) of a captured `usbip list -l`/`-d` output, with
    /// the ids taken from the `(vvvv:pppp)` at its end.
    static func productLines(_ output: String) throws -> [(vendor: UInt16, product: UInt16, text: String)] {
        let text = try DevicesTestTree.readText(Fixtures.path("outputs/" + output).string)
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("   "), let open = line.lastIndex(of: "(") else { return nil }
            let ids = line[line.index(after: open)...].dropLast().split(separator: ":")
            guard ids.count == 2, let vendor = UInt16(ids[0], radix: 16), let product = UInt16(ids[1], radix: 16)
            else { return nil }
            return (vendor, product, String(line.dropFirst(3)))
        }
    }

    // MARK: - Against the C tool, with the installed database

    @Test(.enabled(if: installed.fileFound), arguments: ["list-l.stdout", "list-d.stdout"])
    func productDescriptionsMatchTheCTool(_ output: String) throws {
        let lines = try Self.productLines(output)
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(Self.installed.productDescription(vendor: line.vendor, product: line.product) == line.text)
        }
    }

    @Test(.enabled(if: installed.fileFound))
    func remoteListingLinesMatchTheCTool() throws {
        let text = try DevicesTestTree.readText(Fixtures.path("outputs/list-r.stdout").string)
        let lines = text.split(separator: "\n").map(String.init)
        // "        2-1: QEMU : unknown product (46f4:0001)" then path, then the class line.
        let product = try #require(lines.first { $0.hasSuffix("(46f4:0001)") })
        #expect(product.hasSuffix(": " + Self.installed.productDescription(vendor: 0x46F4, product: 0x0001)))
        let classLine = try #require(lines.first { $0.hasSuffix("(00/00/00)") })
        #expect(classLine.hasSuffix(": " + Self.installed.classDescription(class: 0, subclass: 0, protocol: 0)))
    }

    @Test(.enabled(if: installed.fileFound))
    func installedDatabaseHasTheUsualSections() {
        #expect(Self.installed.loadedPath.map { Self.installed.searchPaths.contains($0) } == true)
        #expect(Self.installed.vendorName(0x1D6B) == "Linux Foundation")
        #expect(Self.installed.productName(vendor: 0x1D6B, product: 0x0002) == "2.0 root hub")
        #expect(Self.installed.className(0x09) == "Hub")
        #expect(Self.installed.vendorName(0x46F4) == "QEMU")
        #expect(Self.installed.productName(vendor: 0x46F4, product: 0x0001) == nil)  // a vendor without products
    }

    // MARK: - Synthetic files

    static let sample = """
        # comment 1234  not a vendor
        #
        0001  First Vendor
        \t0002  First Product
        \t\t01  an interface line, not a protocol
        0010  Vendor Without Products
        0001  Duplicate Vendor Spec
        \t0002  Duplicate Product
        \t0003  Product From The Duplicate Block
        abcd  Hex Vendor\r
        \tef01  CRLF Product\r

        C 00  (Defined at Interface level)
        C 03  Human Interface Device
        \t01  Boot Interface Subclass
        \t\t02  Mouse
        C ff  Vendor Specific Class
        \tff  Vendor Specific Subclass
        \t\tff  Vendor Specific Protocol
        AT 0100  USB Undefined
        HID 21  HID
        R 04  Usage Page
        BIAS 0  Not a vendor
        PHY 00  None
        HUT 01  Generic Desktop Controls
        \t002  Mouse (a usage, not a subclass)
        L 0001  Arabic
        \t01  Saudi Arabia
        VT 0100  USB Vendor specific
        HCC 00  Not supported
        """

    static func database(_ text: String, path: String? = "sample") -> USBIDs {
        USBIDs(contents: Array(text.utf8), path: path)
    }

    @Test func vendorAndProductNames() {
        let ids = Self.database(Self.sample)
        #expect(ids.vendorName(0x0001) == "First Vendor")  // first definition wins
        #expect(ids.productName(vendor: 0x0001, product: 0x0002) == "First Product")
        #expect(ids.productName(vendor: 0x0001, product: 0x0003) == "Product From The Duplicate Block")
        #expect(ids.vendorName(0x0010) == "Vendor Without Products")
        #expect(ids.productName(vendor: 0x0010, product: 0x0002) == nil)
        #expect(ids.vendorName(0x1234) == nil)
        #expect(ids.vendorName(0x000B) == nil)  // "BIAS" starts with a hex digit but is skipped
    }

    @Test func carriageReturnsEndTheLine() {
        let ids = Self.database(Self.sample)
        #expect(ids.vendorName(0xABCD) == "Hex Vendor")
        #expect(ids.productName(vendor: 0xABCD, product: 0xEF01) == "CRLF Product")
    }

    @Test func classSubclassProtocolNames() {
        let ids = Self.database(Self.sample)
        #expect(ids.className(0x03) == "Human Interface Device")
        #expect(ids.subclassName(class: 0x03, subclass: 0x01) == "Boot Interface Subclass")
        #expect(ids.protocolName(class: 0x03, subclass: 0x01, protocol: 0x02) == "Mouse")
        #expect(ids.className(0xFF) == "Vendor Specific Class")
        #expect(ids.subclassName(class: 0xFF, subclass: 0xFF) == "Vendor Specific Subclass")
        #expect(ids.protocolName(class: 0xFF, subclass: 0xFF, protocol: 0xFF) == "Vendor Specific Protocol")
        #expect(ids.protocolName(class: 0x01, subclass: 0x00, protocol: 0x01) == nil)  // vendor-section "\t\t01"
        #expect(ids.subclassName(class: 0xFF, subclass: 0x02) == nil)  // HUT usage "\t002" is not a subclass
        #expect(ids.className(0x01) == nil)
    }

    @Test func descriptionsUseTheCFormat() {
        let ids = Self.database(Self.sample)
        #expect(ids.productDescription(vendor: 0x0001, product: 0x0002) == "First Vendor : First Product (0001:0002)")
        #expect(ids.productDescription(vendor: 0x0010, product: 0x00AB) == "Vendor Without Products : unknown product (0010:00ab)")
        #expect(ids.productDescription(vendor: 0xBEEF, product: 0x0001) == "unknown vendor : unknown product (beef:0001)")
        #expect(ids.classDescription(class: 0, subclass: 0, protocol: 0) == "(Defined at Interface level) (00/00/00)")
        #expect(ids.classDescription(class: 3, subclass: 1, protocol: 2) == "Human Interface Device / Boot Interface Subclass / Mouse (03/01/02)")
        #expect(ids.classDescription(class: 3, subclass: 1, protocol: 9) == "Human Interface Device / Boot Interface Subclass / unknown protocol (03/01/09)")
        #expect(ids.classDescription(class: 0xFE, subclass: 0, protocol: 0) == "unknown class / unknown subclass / unknown protocol (fe/00/00)")
    }

    @Test func lastLineWithoutNewline() {
        let ids = Self.database("0001  A\n\t0001  B\nffff  Last Vendor")
        #expect(ids.vendorName(0xFFFF) == "Last Vendor")
        #expect(ids.productName(vendor: 0x0001, product: 0x0001) == "B")
        let classesOnly = Self.database("C 09  Hub")
        #expect(classesOnly.className(0x09) == "Hub")
    }

    @Test func vendorLookupStopsAtTheClassSection() {
        let ids = Self.database("0001  A\nC 09  Hub\n0002  After Classes\n")
        #expect(ids.vendorName(0x0001) == "A")
        #expect(ids.vendorName(0x0002) == nil)
        #expect(ids.className(0x09) == "Hub")  // the class section is found from the end, past that vendor line
    }

    @Test func linesWithoutNamesAreIgnored() {
        let ids = Self.database("0001\n0001  Named\n\t0002   \n\t0002  P\n")
        #expect(ids.vendorName(0x0001) == "Named")
        #expect(ids.productName(vendor: 0x0001, product: 0x0002) == "P")
    }

    @Test func emptyAndMissingFiles() throws {
        let empty = Self.database("")
        #expect(empty.vendorName(0x0001) == nil)
        #expect(empty.className(0x00) == nil)
        let missing = USBIDs(searchPaths: ["/nonexistent/usb.ids"])
        #expect(!missing.fileFound)
        #expect(missing.loadedPath == nil)
        #expect(missing.searchPaths == ["/nonexistent/usb.ids"])
        #expect(missing.productDescription(vendor: 0x1234, product: 0x5678) == "unknown vendor : unknown product (1234:5678)")
        #expect(missing.classDescription(class: 0xFF, subclass: 1, protocol: 2) == "unknown class / unknown subclass / unknown protocol (ff/01/02)")
    }

    @Test func firstReadablePathWins() throws {
        let tree = try DevicesTestTree()
        try tree.write("first.ids", "0001  From First\n")
        try tree.write("second.ids", "0001  From Second\n")
        let paths = ["/nonexistent/usb.ids", tree.root + "/first.ids", tree.root + "/second.ids"]
        let ids = USBIDs(searchPaths: paths)
        #expect(ids.loadedPath == paths[1])
        #expect(ids.vendorName(0x0001) == "From First")
    }
}
