/// Accumulates the bytes of an outgoing USB/IP PDU.
///
/// Integers are written big-endian (network order) by shifting; fixed-size text fields are NUL-padded.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Starts an empty buffer.
    public init() {
        self.bytes = []
    }

    /// Starts an empty buffer with room for `capacity` bytes.
    public init(capacity: Int) {
        self.bytes = []
        self.bytes.reserveCapacity(max(0, capacity))
    }

    /// Appends `value` big-endian, in `T.bitWidth / 8` bytes.
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        let size = T.bitWidth / 8
        for index in 0..<size {
            bytes.append(UInt8(truncatingIfNeeded: value >> ((size - 1 - index) * 8)))
        }
    }

    /// Appends raw bytes.
    public mutating func writeBytes(_ data: some Sequence<UInt8>) {
        bytes.append(contentsOf: data)
    }

    /// Appends `count` zero bytes (padding, reserved fields).
    public mutating func writeZeros(count: Int) {
        bytes.append(contentsOf: repeatElement(0, count: max(0, count)))
    }

    /// Appends `text` as a fixed-size field of `count` bytes: the UTF-8 bytes, then NULs up to `count`.
    ///
    /// At least one NUL always ends the field, as the C tools' `strncpy(dst, src, size - 1)` leaves it: text longer
    /// than `count - 1` bytes is cut at the last whole character that fits (C cuts at the byte).
    public mutating func writeFixedString(_ text: String, count: Int) {
        guard count > 0 else { return }
        let utf8 = Array(text.utf8)
        var end = min(utf8.count, count - 1)
        // Do not split a multi-byte character: back up to the lead byte of the one that does not fit.
        while end > 0, end < utf8.count, utf8[end] & 0xC0 == 0x80 { end -= 1 }
        bytes.append(contentsOf: utf8[0..<end])
        writeZeros(count: count - end)
    }
}
