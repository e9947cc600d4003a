/// A cursor over received bytes that decodes USB/IP fields without ever trapping.
///
/// Every read checks the remaining length first and throws ``WireError/truncated(needed:available:)`` instead of
/// reading past the end. Integers are big-endian (network order) and are assembled by shifting bytes, never by
/// reinterpreting memory, so alignment and host byte order never matter.
public struct ByteReader: Sendable {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// The index of the next byte to read.
    public private(set) var readerIndex: Int

    /// Starts reading `bytes` at the first byte.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.readerIndex = 0
    }

    /// The number of bytes not read yet.
    public var remaining: Int { bytes.count - readerIndex }

    /// Throws ``WireError/truncated(needed:available:)`` unless `count` more bytes are available.
    public func require(_ count: Int) throws(WireError) {
        guard count >= 0 else { throw .invalidValue(field: "length", value: UInt64(truncatingIfNeeded: count)) }
        guard count <= remaining else { throw .truncated(needed: count, available: remaining) }
    }

    /// Reads a big-endian integer of `T`'s width (`T.bitWidth / 8` bytes).
    public mutating func readInteger<T: FixedWidthInteger>() throws(WireError) -> T {
        return try readInteger(as: T.self)
    }

    /// Reads a big-endian integer of the given type (`T.bitWidth / 8` bytes).
    public mutating func readInteger<T: FixedWidthInteger>(as type: T.Type) throws(WireError) -> T {
        let size = T.bitWidth / 8
        try require(size)
        var value: T = 0
        for byte in bytes[readerIndex..<readerIndex + size] {
            value = (value << 8) | T(truncatingIfNeeded: byte)
        }
        readerIndex += size
        return value
    }

    /// Reads `count` raw bytes.
    public mutating func readBytes(count: Int) throws(WireError) -> [UInt8] {
        try require(count)
        let slice = bytes[readerIndex..<readerIndex + count]
        readerIndex += count
        return Array(slice)
    }

    /// Skips `count` bytes (padding, reserved fields).
    public mutating func skip(count: Int) throws(WireError) {
        try require(count)
        readerIndex += count
    }

    /// Reads a fixed-size, NUL-terminated text field of `count` bytes (such as the 256-byte `path`).
    ///
    /// The text ends at the first NUL, which must lie inside the field; what follows it is ignored (the C tools fill
    /// it with zeros, but nothing depends on that). The text must be valid UTF-8.
    /// Throws ``WireError/invalidString(field:)`` naming `field` otherwise.
    public mutating func readFixedString(count: Int, field: String = "string") throws(WireError) -> String {
        try require(count)
        let slice = bytes[readerIndex..<readerIndex + count]
        guard let nul = slice.firstIndex(of: 0) else { throw .invalidString(field: field) }
        guard let text = String(validating: slice[slice.startIndex..<nul], as: UTF8.self) else {
            throw .invalidString(field: field)
        }
        readerIndex += count
        return text
    }
}
