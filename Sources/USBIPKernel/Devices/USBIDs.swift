#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import SystemPackage
import USBIPWire

/// Vendor, product and class names from the `usb.ids` database, looked up on demand.
///
/// The C tools parse the whole file into hash tables before listing anything (`libsrc/names.c`, ~140 ms on
/// Debian). Here `init` only reads the file's bytes (one `read`, no per-line objects) and locates the class
/// section from the end of the file; each lookup then scans the bytes. Vendor and product lookups walk the vendor
/// section and stop at the first class line (`C xx`); class lookups start at the class section. An optimized build
/// takes about 0.2 ms for a vendor or product lookup at the end of the vendor section and a few µs for a class
/// lookup.
///
/// Line classification follows `names.c:parse`: the first definition wins, a `\r` ends a line, `PHY`, `BIAS`, `AT`,
/// `HCC`, `HID`, `R` and `VT` lines are skipped, and `L` and `HUT` sections end a vendor or class block. Names
/// therefore match the C tools'.
///
/// Line formats: vendor `vvvv  name`, product `\tpppp  name`, class `C cc  name`, subclass `\tss  name`,
/// protocol `\t\tpp  name`.
package struct USBIDs: Sendable {
    /// Where the file is looked for by default: the C tools' `USBIDS_FILE` (`/usr/share/hwdata/usb.ids`), then
    /// Debian's location.
    package static let defaultSearchPaths = ["/usr/share/hwdata/usb.ids", "/usr/share/misc/usb.ids"]

    /// The paths tried, in order.
    package let searchPaths: [String]
    /// The path the names come from, or `nil` when no file could be read.
    package let loadedPath: String?
    /// Whether a file was read; when not, every lookup gives `nil` and the C tools print `failed to open <file>`.
    package var fileFound: Bool { loadedPath != nil }

    private let bytes: [UInt8]
    private let containsCR: Bool
    /// Offset of the class section's first line (`C 00 …`), found at init from the end of the file.
    private let classSectionStart: Int?

    /// Reads the first readable file of `searchPaths`; no parsing happens until a lookup.
    package init(searchPaths: [String] = USBIDs.defaultSearchPaths) {
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
    package func vendorName(_ vendor: UInt16) -> String? {
        scanLines(from: 0) { line -> Step in
            let first = line[0]
            if first == USBIDs.tab || first == USBIDs.hash { return .next }
            switch USBIDs.head(line) {
            case .vendor(let id, let name) where id == vendor: return .found(USBIDs.text(line, from: name))
            case .classLine: return .stop
            default: return .next
            }
        }
    }

    /// The product's name (`\tpppp  name` under a vendor line of its vendor), or `nil`.
    package func productName(vendor: UInt16, product: UInt16) -> String? {
        var inVendorBlock = false
        return scanLines(from: 0) { line -> Step in
            let first = line[0]
            if first == USBIDs.tab {
                guard inVendorBlock, let (id, name) = USBIDs.entry(line, depth: 1),
                      UInt16(truncatingIfNeeded: id) == product
                else { return .next }
                return .found(USBIDs.text(line, from: name))
            }
            if first == USBIDs.hash { return .next }
            switch USBIDs.head(line) {
            case .vendor(let id, _): inVendorBlock = id == vendor
            case .classLine: return .stop
            case .sectionReset: inVendorBlock = false
            case .ignored: break
            }
            return .next
        }
    }

    /// The class name (`C cc  name`), or `nil`.
    package func className(_ classID: UInt8) -> String? {
        guard let start = classSectionStart else { return nil }
        return scanLines(from: start) { line -> Step in
            let first = line[0]
            if first == USBIDs.tab || first == USBIDs.hash { return .next }
            if case .classLine(let id, let name) = USBIDs.head(line), id == classID {
                return .found(USBIDs.text(line, from: name))
            }
            return .next
        }
    }

    /// The subclass name (`\tss  name` under its class line), or `nil`.
    package func subclassName(class classID: UInt8, subclass: UInt8) -> String? {
        guard let start = classSectionStart else { return nil }
        var inClassBlock = false
        return scanLines(from: start) { line -> Step in
            let first = line[0]
            if first == USBIDs.tab {
                guard inClassBlock, let (id, name) = USBIDs.entry(line, depth: 1),
                      UInt8(truncatingIfNeeded: id) == subclass
                else { return .next }
                return .found(USBIDs.text(line, from: name))
            }
            if first == USBIDs.hash { return .next }
            switch USBIDs.head(line) {
            case .classLine(let id, _): inClassBlock = id == classID
            case .vendor, .sectionReset: inClassBlock = false
            case .ignored: break
            }
            return .next
        }
    }

    /// The protocol name (`\t\tpp  name` under its class and subclass lines), or `nil`.
    package func protocolName(class classID: UInt8, subclass: UInt8, protocol protocolID: UInt8) -> String? {
        guard let start = classSectionStart else { return nil }
        var currentClass: UInt8?
        var currentSubclass: UInt8?
        return scanLines(from: start) { line -> Step in
            let first = line[0]
            if first == USBIDs.tab {
                if let (id, _) = USBIDs.entry(line, depth: 1) {
                    if currentClass != nil { currentSubclass = UInt8(truncatingIfNeeded: id) }
                } else if currentClass == classID, currentSubclass == subclass,
                          let (id, name) = USBIDs.entry(line, depth: 2), UInt8(truncatingIfNeeded: id) == protocolID {
                    return .found(USBIDs.text(line, from: name))
                }
                return .next
            }
            if first == USBIDs.hash { return .next }
            switch USBIDs.head(line) {
            case .classLine(let id, _):
                currentClass = id
                currentSubclass = nil
            case .vendor, .sectionReset:
                currentClass = nil
                currentSubclass = nil
            case .ignored: break
            }
            return .next
        }
    }

    // MARK: - C-compatible descriptions (`usbip_names_get_product`, `usbip_names_get_class`)

    /// `"<vendor> : <product> (%04x:%04x)"` with `unknown vendor` / `unknown product` fallbacks.
    ///
    /// The C tools print this through a fixed buffer (128 bytes for `list -l`, 100 for `list -r`), truncating
    /// longer names; that truncation is left to the caller.
    package func productDescription(vendor: UInt16, product: UInt16) -> String {
        // One pass finds both names (what vendorName and productName would find separately).
        var vendorText: String?
        var productText: String?
        var inVendorBlock = false
        _ = scanLines(from: 0) { line -> Step in
            let first = line[0]
            if first == USBIDs.tab {
                if inVendorBlock, productText == nil, let (id, name) = USBIDs.entry(line, depth: 1),
                   UInt16(truncatingIfNeeded: id) == product {
                    productText = USBIDs.text(line, from: name)
                    return .stop  // the vendor line came first, so its name is known
                }
                return .next
            }
            if first == USBIDs.hash { return .next }
            switch USBIDs.head(line) {
            case .vendor(let id, let name):
                inVendorBlock = id == vendor
                if inVendorBlock, vendorText == nil { vendorText = USBIDs.text(line, from: name) }
            case .classLine: return .stop
            case .sectionReset: inVendorBlock = false
            case .ignored: break
            }
            return .next
        }
        let names = "\(vendorText ?? "unknown vendor") : \(productText ?? "unknown product")"
        return "\(names) (\(Hex.digits(vendor, width: 4)):\(Hex.digits(product, width: 4)))"
    }

    /// `"(Defined at Interface level) (00/00/00)"` when all three are zero, else
    /// `"<class> / <subclass> / <protocol> (%02x/%02x/%02x)"` with `unknown class|subclass|protocol` fallbacks.
    package func classDescription(class classID: UInt8, subclass: UInt8, protocol protocolID: UInt8) -> String {
        let codes = "(\(Hex.digits(classID, width: 2))/\(Hex.digits(subclass, width: 2))/\(Hex.digits(protocolID, width: 2)))"
        if classID == 0 && subclass == 0 && protocolID == 0 {
            return "(Defined at Interface level) \(codes)"
        }
        let protocolText = protocolName(class: classID, subclass: subclass, protocol: protocolID) ?? "unknown protocol"
        let subclassText = subclassName(class: classID, subclass: subclass) ?? "unknown subclass"
        let classText = className(classID) ?? "unknown class"
        return "\(classText) / \(subclassText) / \(protocolText) \(codes)"
    }

    // MARK: - Scanning

    private static let tab = UInt8(ascii: "\t")
    private static let hash = UInt8(ascii: "#")

    /// What a scan does after a line.
    private enum Step {
        case next
        case stop
        case found(String)
    }

    /// What a line that starts with neither a tab nor `#` is, by `names.c:parse`'s tests (in its order; the
    /// prefixes differ in their first byte). `name` is the offset of the name in the line.
    private enum Head {
        case ignored
        case vendor(UInt16, name: Int)
        case classLine(UInt8, name: Int)
        /// `L` or `HUT`: a section that ends any vendor or class block.
        case sectionReset
    }

    /// Calls `body` with each non-empty line from offset `start` (line end and anything from a `\r` on removed,
    /// as `names.c` does) until it returns `.stop` or `.found`.
    @inline(__always)
    private func scanLines(from start: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Step) -> String? {
        bytes.withUnsafeBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            let count = buffer.count
            var position = start
            while position < count {
                let lineStart = base + position
                var end = count - position
                if let newline = memchr(lineStart, 0x0A, end) {
                    end = UnsafeRawPointer(lineStart).distance(to: UnsafeRawPointer(newline))
                }
                let next = position + end + 1
                if containsCR, let cr = memchr(lineStart, 0x0D, end) {
                    end = UnsafeRawPointer(lineStart).distance(to: UnsafeRawPointer(cr))
                }
                position = next
                if end == 0 { continue }
                switch body(UnsafeBufferPointer(start: lineStart, count: end)) {
                case .next: continue
                case .stop: return nil
                case .found(let name): return name
                }
            }
            return nil
        }
    }

    /// The offset of the class section: the first `C ` line of the last run of class lines, found by walking
    /// lines backwards from the end of the file until a vendor line precedes a class line (usb.ids has one class
    /// section, near the end, so this reads only the file's tail).
    private static func findClassSection(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var earliestClassLine: Int?
            var lineEnd = buffer.count
            while true {
                var start = lineEnd
                while start > 0, buffer[start - 1] != 0x0A { start -= 1 }
                if lineEnd > start {
                    let line = UnsafeBufferPointer(start: base + start, count: lineEnd - start)
                    if line.count >= 2, line[0] == UInt8(ascii: "C"), line[1] == 0x20 {
                        earliestClassLine = start
                    } else if earliestClassLine != nil, line[0] != tab, line[0] != hash, case .vendor = head(line) {
                        break
                    }
                }
                if start == 0 { break }
                lineEnd = start - 1
            }
            return earliestClassLine
        }
    }

    /// Classifies a line that starts with neither a tab nor `#`: `PHYSDES `/`PHY `/`BIAS `/`AT`/`HCC`/`HID`/`R`/`VT`
    /// lines are ignored, `L ` and `HUT ` start sections, `C ` is a class, other lines starting with a hex digit are
    /// vendors.
    private static func head(_ line: UnsafeBufferPointer<UInt8>) -> Head {
        func has(_ prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard line.count >= count else { return false }
            let p = prefix.utf8Start
            for i in 0..<count where line[i] != p[i] { return false }
            return true
        }
        switch line[0] {
        case UInt8(ascii: "P"):
            return .ignored  // PHYSDES, PHY (and nothing else a C parser would take: P is not a hex digit)
        case UInt8(ascii: "L"):
            return has("L ") ? .sectionReset : .ignored
        case UInt8(ascii: "H"):
            return has("HUT ") ? .sectionReset : .ignored  // HCC, HID: skipped
        case UInt8(ascii: "B") where has("BIAS "):
            return .ignored
        case UInt8(ascii: "A") where line.count > 2 && line[1] == UInt8(ascii: "T") && line[2].isASCIIWhitespace:
            return .ignored
        case UInt8(ascii: "C") where has("C "):
            var i = 2
            while i < line.count, line[i].isASCIIWhitespace { i += 1 }
            guard i < line.count, SysfsAttributeFormat.hexDigitValue(line[i]) != nil,
                  let (id, name) = idAndName(line, at: i)
            else { return .ignored }
            return .classLine(UInt8(truncatingIfNeeded: id), name: name)
        default:
            guard SysfsAttributeFormat.hexDigitValue(line[0]) != nil, let (id, name) = idAndName(line, at: 0) else {
                return .ignored
            }
            return .vendor(UInt16(truncatingIfNeeded: id), name: name)
        }
    }

    /// A product/subclass (`depth` 1: tab, hex) or protocol (`depth` 2: two tabs, hex) line's id and name offset.
    private static func entry(_ line: UnsafeBufferPointer<UInt8>, depth: Int) -> (UInt32, Int)? {
        guard line.count > depth, SysfsAttributeFormat.hexDigitValue(line[depth]) != nil else { return nil }
        if depth == 2 && line[1] != tab { return nil }
        return idAndName(line, at: depth)
    }

    /// `strtoul(…, 16)` from `index` (an optional `0x` included), then the offset of the name after whitespace;
    /// `nil` when the name is empty (`names.c`: "Invalid … spec").
    private static func idAndName(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        var i = index
        if i + 2 < line.count, line[i] == UInt8(ascii: "0"), line[i + 1] | 0x20 == UInt8(ascii: "x"),
           SysfsAttributeFormat.hexDigitValue(line[i + 2]) != nil {
            i += 2
        }
        var value: UInt32 = 0
        while i < line.count, let digit = SysfsAttributeFormat.hexDigitValue(line[i]) {
            value = value &<< 4 | UInt32(digit)
            i += 1
        }
        while i < line.count, line[i].isASCIIWhitespace { i += 1 }
        guard i < line.count else { return nil }
        return (value, i)
    }

    /// C's `isspace`.

    /// The line's text from `offset` to its end.
    private static func text(_ line: UnsafeBufferPointer<UInt8>, from offset: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[offset...]), as: UTF8.self)
    }

    // MARK: - Helpers

    /// The whole file, or `nil` when it cannot be opened or read: sized by `fstat`, then read to end of file.
    private static func readFile(_ path: String) -> [UInt8]? {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) else { return nil }
        defer { try? fd.close() }
        var info = stat()
        guard fstat(fd.rawValue, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let limit = 1 << 28  // not a usb.ids beyond this; refuse to hold it
        var result = [UInt8](repeating: 0, count: min(max(Int(info.st_size), 0) + 1, limit))
        var filled = 0
        while true {
            if filled == result.count {  // the file grew since fstat
                guard result.count < limit else { return nil }
                result.append(contentsOf: repeatElement(0, count: min(result.count, limit - result.count)))
            }
            let start = filled
            guard let n = try? result.withUnsafeMutableBytes({ try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[start...])) })
            else { return nil }
            if n == 0 { break }
            filled += n
        }
        result.removeLast(result.count - filled)
        return result
    }
}
