import Testing
import USBIPWire
import USBIPTestSupport

/// Seeded pseudo-random input through every parser: none may trap. (Scripts/fuzz does the same, coverage-guided.)
@Suite struct RandomInputTests {
    @Test func splitMix64IsReproducible() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(Set(first).count == 4)
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)  // the reference implementation's first output for seed 0
    }

    @Test(arguments: WireCorpus.parsers.indices)
    func randomBytesNeverTrap(_ index: Int) {
        let (name, parse) = WireCorpus.parsers[index]
        var rng = SplitMix64(seed: 0x5553_4249_5000 + UInt64(index))
        var successes = 0
        for round in 0..<2_000 {
            let count = Int(rng.next() % 700)
            var bytes = rng.bytes(count: count)
            // Half the inputs start with a valid header so the parsers get past the first check.
            if round % 2 == 0, bytes.count >= 8 {
                let codes: [UInt16] = [0x8003, 0x8005, 0x8006, 0x8007, 0x0003, 0x0005, 0x0006, 0x0007]
                let code = codes[Int(rng.next() % UInt64(codes.count))]
                bytes.replaceSubrange(0..<8, with: OpCommon(code: code, status: UInt32(rng.next() % 2)).serialized())
                if bytes.count >= 12, code == 0x0005 { bytes[8...10] = [0, 0, 0] }  // small ndev
            }
            let outcome = parse(bytes)
            if case .unstable(let problem) = outcome { Issue.record("\(name): \(problem)") }
            if outcome == .stable { successes += 1 }
        }
        // Headers are forced on half the inputs, so at least the bare-header PDUs must sometimes parse.
        if ["OpCommon", "ExportReply", "UnexportReply", "Reply", "InterfaceRecord"].contains(name) {
            #expect(successes > 0, "\(name)")
        }
    }

    /// Valid samples with a few random bytes changed either fail with a WireError or parse to a value that survives
    /// the round trip; never trap.
    @Test(arguments: WireCorpus.samples)
    func mutatedSamplesNeverTrap(_ sample: WireSample) {
        var rng = SplitMix64(seed: UInt64(sample.bytes.count))
        var outcomes: [RoundTrip] = []
        for _ in 0..<300 {
            var bytes = sample.bytes
            for _ in 0...(rng.next() % 3) {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            outcomes.append(sample.roundTrip(bytes))
        }
        for case .unstable(let problem) in outcomes { Issue.record("\(sample.name): \(problem)") }
        #expect(sample.roundTrip(sample.bytes) == .stable, "\(sample.name)")
    }
}
