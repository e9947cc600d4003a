/// What an incremental decoder says after each feed: how many more bytes it needs, or the decoded value.
public enum DecodingStep<Value> {
    /// The decoder needs exactly this many more bytes before its next step (never more than the PDU holds).
    case needMore(Int)
    /// The PDU is complete; nothing beyond it was consumed.
    case done(Value)
}

/// An incremental decoder of one PDU family: bytes in, in order and in chunks of any size up to
/// ``bytesNeeded``; "need N more", a value, or a typed ``WireError`` out.
///
/// It is the one place a family's framing is spelled: the daemons' non-blocking reader feeds it whatever `recv`
/// returned, the clients' blocking reader ``ByteStream/receive(_:)`` reads exactly ``bytesNeeded`` at a time, and
/// whole-buffer parsing (``decode(from:)``), the fuzzer and the tests drive the same code. It never asks for a byte
/// beyond its PDU, because after a successful IMPORT or EXPORT the following bytes belong to the kernel.
public protocol PDUDecoder {
    /// What the decoder produces.
    associatedtype Value

    /// How many more bytes the current step needs (at least 1 until the value is produced).
    var bytesNeeded: Int { get }

    /// Takes the next bytes of the stream (between 1 and ``bytesNeeded`` of them) and decodes what is complete.
    ///
    /// Feeding more than ``bytesNeeded`` is a programming error (the caller reads too far) and traps.
    mutating func feed(_ bytes: ArraySlice<UInt8>) throws(WireError) -> DecodingStep<Value>
}

extension PDUDecoder {
    /// Takes the next bytes of the stream; see ``feed(_:)-(ArraySlice<UInt8>)``.
    public mutating func feed(_ bytes: [UInt8]) throws(WireError) -> DecodingStep<Value> {
        try feed(bytes[...])
    }

    /// Decodes one PDU at the reader's position, consuming exactly its bytes; an input that ends early is
    /// ``WireError/truncated(needed:available:)`` (needed: what the current step still lacks).
    public mutating func decode(from r: inout ByteReader) throws(WireError) -> Value {
        while true {
            let chunk = try r.readBytes(count: bytesNeeded)
            if case .done(let value) = try feed(chunk) { return value }
        }
    }
}

/// The bytes of one decoding step: collects fed bytes until the step's length is reached.
struct StepBuffer {
    /// The current step's length.
    private(set) var length: Int
    /// The bytes collected for it so far.
    private var bytes: [UInt8] = []

    /// A buffer for a first step of `length` bytes.
    init(length: Int) {
        self.length = length
        bytes.reserveCapacity(length)
    }

    /// The bytes the current step still lacks.
    var missing: Int { length - bytes.count }

    /// Appends `chunk` (at most ``missing`` bytes); returns a reader over the whole step once it is complete.
    mutating func take(_ chunk: ArraySlice<UInt8>) -> ByteReader? {
        precondition(chunk.count <= missing, "fed \(chunk.count) bytes where \(missing) were needed")
        bytes.append(contentsOf: chunk)
        return bytes.count == length ? ByteReader(bytes) : nil
    }

    /// Starts the next step, of `length` bytes (0 only when the PDU is complete).
    mutating func next(length: Int) {
        self.length = length
        bytes.removeAll(keepingCapacity: true)
    }
}
