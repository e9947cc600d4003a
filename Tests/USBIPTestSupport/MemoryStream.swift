import USBIPWire
import USBIPSupport

/// An in-memory ``ByteStream``: reads consume a fixed input, writes are captured.
///
/// Reading past the end of the input consumes what is left and throws ``USBIPError/peerClosed(operation:)``, as a
/// socket whose peer closed would. Every read's requested size is recorded, so tests can check exact-size framing.
package struct MemoryStream: ByteStream {
    /// The bytes the peer "sent".
    package let input: [UInt8]
    /// How many input bytes have been read.
    package private(set) var inputIndex: Int
    /// Everything written so far.
    package private(set) var output: [UInt8]
    /// The size asked for by each `read(exactly:)` call, in order.
    package private(set) var readSizes: [Int]
    /// The operation named in the ``USBIPError/peerClosed(operation:)`` thrown at the end of the input.
    package var operation: String

    /// A stream that will deliver `input`, then report the peer closed.
    package init(input: [UInt8] = [], operation: String = "receive") {
        self.input = input
        self.inputIndex = 0
        self.output = []
        self.readSizes = []
        self.operation = operation
    }

    /// The input bytes not read yet.
    package var remainingInput: Int { input.count - inputIndex }

    /// Returns the next `count` input bytes, or consumes the rest and throws ``USBIPError/peerClosed(operation:)``.
    package mutating func read(exactly count: Int) throws -> [UInt8] {
        readSizes.append(count)
        guard count >= 0, count <= remainingInput else {
            inputIndex = input.count
            throw USBIPError.peerClosed(operation: operation)
        }
        defer { inputIndex += count }
        return Array(input[inputIndex..<inputIndex + count])
    }

    /// Appends `bytes` to ``output``.
    package mutating func write(_ bytes: [UInt8]) throws {
        output.append(contentsOf: bytes)
    }
}
