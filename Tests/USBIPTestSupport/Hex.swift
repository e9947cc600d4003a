import SystemPackage

/// Hex text ↔ bytes for golden wire fixtures.
package enum Hex {
    /// Decodes hex digits, ignoring whitespace; `nil` for any other character or an odd digit count.
    package static func bytes(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        var high: UInt8?
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" { continue }
            guard let digit = UInt8(String(scalar), radix: 16) else { return nil }
            if let h = high {
                result.append(h << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return high == nil ? result : nil
    }

    /// Lower-case hex digits, no separators.
    package static func string(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// Reads a fixture file of hex text and decodes it.
    package static func fixture(_ relative: String) throws -> [UInt8] {
        let path = Fixtures.path(relative)
        let fd = try FileDescriptor.open(path, .readOnly)
        let text = try fd.closeAfter {
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
                if count == 0 { break }
                data.append(contentsOf: buffer[0..<count])
            }
            return String(decoding: data, as: UTF8.self)
        }
        guard let bytes = bytes(text) else { throw Errno.invalidArgument }
        return bytes
    }
}
