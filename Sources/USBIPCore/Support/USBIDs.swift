#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import SystemPackage

/// Vendor, product and class names from the `usb.ids` database, looked up on demand.
///
/// The C tools parse the whole file into hash tables before listing anything (`libsrc/names.c`, ~140 ms on
/// Debian). Here `init` only reads the file's bytes (one `read` loop, no per-line objects) and each lookup scans
/// them: vendor and product lookups walk the vendor section and stop at the first class line (`C xx`), class
/// lookups start there. Line classification follows `names.c:parse` (first definition wins, `\r` ends a line,
/// `PHY`/`BIAS`/`AT`/`HCC`/`HID`/`R`/`VT` lines are skipped, `L` and `HUT` sections end a vendor or class block),
/// so names match the C tools'.
///
/// Line formats: vendor `vvvv  name`, product `\tpppp  name`, class `C cc  name`, subclass `\tss  name`,
/// protocol `\t\tpp  name`.
public struct USBIDs: Sendable {
    /// Where the file is looked for by default: the C tools' `USBIDS_FILE` (`/usr/share/hwdata/usb.ids`), then
    /// Debian's location.
    public static let defaultSearchPaths = ["/usr/share/hwdata/usb.ids", "/usr/share/misc/usb.ids"]

    /// The paths tried, in order.
    public let searchPaths: [String]
    /// The path the names come from, or `nil` when no file could be read.
    public let loadedPath: String?
    /// Whether a file was read; when not, every lookup gives `nil` and the C tools print `failed to open <file>`.
    public var fileFound: Bool { loadedPath != nil }

    private let bytes: [UInt8]
    private let containsCR: Bool
    /// Offset of the first line starting `C ` (the class section), found once at init with `memchr` hops.
    private let classSectionStart: Int?

    /// Reads the first readable file of `searchPaths`; no parsing happens until a lookup.
    public init(searchPaths: [String] = USBIDs.defaultSearchPaths) {
        for path in searchPaths {
            if let contents = USBIDs.readFile(path) {
                self.init(contents: contents, path: path, searchPaths: searchPaths)
                return
            }
        }
        self.init(contents: [], path: nil, searchPaths: searchPaths)
    }

    /// A database over `contents` (tests, embedded copies); `path` is what ``loadedPath`` reports
    /// (`nil` stands for "no file found").
    package init(contents: [UInt8], path: String?, searchPaths: [String] = []) {
        self.bytes = contents
        self.loadedPath = path
        self.searchPaths = searchPaths
        self.containsCR = contents.withUnsafeBytes { raw in
            raw.baseAddress.map { memchr($0, 0x0D, raw.count) != nil } ?? false
        }
        self.classSectionStart = USBIDs.findClassSection(contents)
    }

    // MARK: - Lookups

    /// The vendor's name (`vvvv  name`), or `nil`.
    public func vendorName(_ vendor: UInt16) -> String? {
        scan(from: 0, stopAtClassSection: true) { line, state in
            if case .vendor(let id, let name) = line.kind, id == vendor { return line.text(from: name) }
            return nil
        }
    }

    /// The product's name (`\tpppp  name` under its vendor), or `nil`.
    public func productName(vendor: UInt16, product: UInt16) -> String? {
        scan(from: 0, stopAtClassSection: true) { line, state in
            if case .tab(let id, let name) = line.kind, state.vendor == vendor, id == UInt32(product) {
                return line.text(from: name)
            }
            return nil
        }
    }

    /// The class name (`C cc  name`), or `nil`.
    public func className(_ classID: UInt8) -> String? {
        scanClasses { line, state in
            if case .classLine(let id, let name) = line.kind, id == classID { return line.text(from: name) }
            return nil
        }
    }

    /// The subclass name (`\tss  name` under its class), or `nil`.
    public func subclassName(class classID: UInt8, subclass: UInt8) -> String? {
        scanClasses { line, state in
            if case .tab(let id, let name) = line.kind, state.vendor == nil, state.class == classID,
               UInt8(truncatingIfNeeded: id) == subclass {
                return line.text(from: name)
            }
            return nil
        }
    }

    /// The protocol name (`\t\tpp  name` under its class and subclass), or `nil`.
    public func protocolName(class classID: UInt8, subclass: UInt8, protocol protocolID: UInt8) -> String? {
        scanClasses { line, state in
            if case .doubleTab(let id, let name) = line.kind, state.class == classID, state.subclass == subclass,
               UInt8(truncatingIfNeeded: id) == protocolID {
                return line.text(from: name)
            }
            return nil
        }
    }

    // MARK: - C-compatible descriptions (`usbip_names_get_product`, `usbip_names_get_class`)

    /// `"<vendor> : <product> (%04x:%04x)"` with `unknown vendor` / `unknown product` fallbacks.
    ///
    /// The C tools print this through a fixed buffer (128 bytes for `list -l`, 100 for `list -r`), truncating
    /// longer names; that truncation is left to the caller.
    public func productDescription(vendor: UInt16, product: UInt16) -> String {
        let vendorText = vendorName(vendor) ?? "unknown vendor"
        let productText = productName(vendor: vendor, product: product) ?? "unknown product"
        return "\(vendorText) : \(productText) (\(hex(vendor, width: 4)):\(hex(product, width: 4)))"
    }

    /// `"(Defined at Interface level) (00/00/00)"` when all three are zero, else
    /// `"<class> / <subclass> / <protocol> (%02x/%02x/%02x)"` with `unknown class|subclass|protocol` fallbacks.
    public func classDescription(class classID: UInt8, subclass: UInt8, protocol protocolID: UInt8) -> String {
        let codes = "(\(hex(classID, width: 2))/\(hex(subclass, width: 2))/\(hex(protocolID, width: 2)))"
        if classID == 0 && subclass == 0 && protocolID == 0 {
            return "(Defined at Interface level) \(codes)"
        }
        let protocolText = protocolName(class: classID, subclass: subclass, protocol: protocolID) ?? "unknown protocol"
        let subclassText = subclassName(class: classID, subclass: subclass) ?? "unknown subclass"
        let classText = className(classID) ?? "unknown class"
        return "\(classText) / \(subclassText) / \(protocolText) \(codes)"
    }

    // MARK: - Scanning

    /// What a line is, by `names.c:parse`'s rules; `name` is the offset of the name in the line, decoded only
    /// when a lookup matches.
    private enum LineKind {
        case ignored
        case vendor(UInt16, name: Int)
        case classLine(UInt8, name: Int)
        case tab(UInt32, name: Int)
        case doubleTab(UInt32, name: Int)
        /// `L` or `HUT`: a section that ends any vendor or class block.
        case sectionReset
    }

    /// One line of the file (line end excluded) and what it is.
    private struct Line {
        var bytes: UnsafeBufferPointer<UInt8>
        var kind: LineKind

        /// The line's text from `offset` to its end.
        func text(from offset: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[offset...]), as: UTF8.self)
        }
    }

    /// The block the parser is in (`lastvendor`, `lastclass`, `lastsubclass` in `names.c`).
    private struct State {
        var vendor: UInt16?
        var `class`: UInt8?
        var subclass: UInt8?
    }

    /// Scans the class sections: from the first line starting `C `.
    private func scanClasses(_ visit: (Line, State) -> String?) -> String? {
        guard let start = classSectionStart else { return nil }
        return scan(from: start, stopAtClassSection: false, visit)
    }

    /// The offset of the first line beginning with `C `.
    private static func findClassSection(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var position = 0
            while position + 1 < buffer.count {
                if buffer[position] == UInt8(ascii: "C"), buffer[position + 1] == 0x20 { return position }
                guard let newline = memchr(base + position, 0x0A, buffer.count - position) else { return nil }
                position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(newline)) + 1
            }
            return nil
        }
    }

    /// Walks lines from `start`, keeping the parser state, until `visit` returns a name.
    private func scan(from start: Int, stopAtClassSection: Bool, _ visit: (Line, State) -> String?) -> String? {
        bytes.withUnsafeBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            let count = buffer.count
            var state = State()
            var position = start
            while position < count {
                let newline = memchr(base + position, 0x0A, count - position)
                let lineEnd = newline.map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? count
                var end = lineEnd
                if containsCR, let cr = memchr(base + position, 0x0D, lineEnd - position) {
                    end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(cr))
                }
                let line = UnsafeBufferPointer(rebasing: buffer[position..<end])
                position = lineEnd + 1

                let kind = USBIDs.classify(line)
                switch kind {
                case .ignored:
                    continue
                case .vendor(let id, _):
                    if let found = visit(Line(bytes: line, kind: kind), state) { return found }
                    state = State(vendor: id)
                case .classLine(let id, _):
                    if stopAtClassSection { return nil }
                    if let found = visit(Line(bytes: line, kind: kind), state) { return found }
                    state = State(class: id)
                case .tab(let id, _):
                    if let found = visit(Line(bytes: line, kind: kind), state) { return found }
                    if state.vendor == nil, state.class != nil { state.subclass = UInt8(truncatingIfNeeded: id) }
                case .doubleTab:
                    if let found = visit(Line(bytes: line, kind: kind), state) { return found }
                case .sectionReset:
                    state = State()
                }
            }
            return nil
        }
    }

    /// Classifies one line (without its line end) in `names.c:parse`'s order of tests.
    private static func classify(_ line: UnsafeBufferPointer<UInt8>) -> LineKind {
        guard let first = line.first, first != UInt8(ascii: "#") else { return .ignored }
        func starts(_ prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard line.count >= count else { return false }
            return prefix.withUTF8Buffer { p in
                for i in 0..<count where line[i] != p[i] { return false }
                return true
            }
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        func isSpace(at index: Int) -> Bool { index < line.count && isSpace(line[index]) }
        func isHex(at index: Int) -> Bool {
            index < line.count && SysfsAttributeFormat.hexDigitValue(line[index]) != nil
        }
        /// `strtoul(…, 16)` from `index`, then the name after any whitespace; `nil` when the name is empty.
        func idAndName(at index: Int) -> (UInt32, Int)? {
            var i = index
            while i < line.count, isSpace(line[i]) { i += 1 }
            if i + 2 < line.count, line[i] == UInt8(ascii: "0"), line[i + 1] | 0x20 == UInt8(ascii: "x"),
               SysfsAttributeFormat.hexDigitValue(line[i + 2]) != nil {
                i += 2
            }
            var value: UInt32 = 0
            while i < line.count, let digit = SysfsAttributeFormat.hexDigitValue(line[i]) {
                value = value &<< 4 | UInt32(digit)
                i += 1
            }
            while i < line.count, isSpace(line[i]) { i += 1 }
            guard i < line.count else { return nil }
            return (value, i)
        }

        if starts("PHYSDES ") || starts("PHY ") || starts("BIAS ") { return .ignored }
        if starts("L ") { return .sectionReset }
        if starts("C ") {
            var i = 2
            while i < line.count, isSpace(line[i]) { i += 1 }
            guard isHex(at: i), let (id, name) = idAndName(at: i) else { return .ignored }
            return .classLine(UInt8(truncatingIfNeeded: id), name: name)
        }
        if starts("AT"), isSpace(at: 2) { return .ignored }
        if starts("HCC"), isSpace(at: 3) { return .ignored }
        if isHex(at: 0) {
            guard let (id, name) = idAndName(at: 0) else { return .ignored }
            return .vendor(UInt16(truncatingIfNeeded: id), name: name)
        }
        if first == 0x09, isHex(at: 1) {
            guard let (id, name) = idAndName(at: 1) else { return .ignored }
            return .tab(id, name: name)
        }
        if first == 0x09, line.count > 1, line[1] == 0x09, isHex(at: 2) {
            guard let (id, name) = idAndName(at: 2) else { return .ignored }
            return .doubleTab(id, name: name)
        }
        if starts("HUT ") { return .sectionReset }
        return .ignored
    }

    // MARK: - Helpers

    private func hex(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The whole file, or `nil` when it cannot be opened or read.
    private static func readFile(_ path: String) -> [UInt8]? {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) else { return nil }
        defer { try? fd.close() }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            guard let n = try? chunk.withUnsafeMutableBytes({ try fd.read(into: $0) }) else { return nil }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
            if result.count > 1 << 28 { return nil }  // not a usb.ids; refuse to hold it
        }
    }
}
