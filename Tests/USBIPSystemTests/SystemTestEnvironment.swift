#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import SystemPackage

/// What the system tests get from the harness: they run only inside the test VM, where Scripts/system-tests
/// (through Tests/System/lib.sh's `swift_tests`) sets `USBIP_SYSTEM_TESTS=1` and points the variables below at
/// files the shell side wrote from the same kernel.
enum SystemTestEnvironment {
    /// Whether the system tests run: only when `USBIP_SYSTEM_TESTS=1`; a plain `swift test` skips them.
    static var isEnabled: Bool { value("USBIP_SYSTEM_TESTS") == "1" }

    /// The value of an environment variable, or `nil`.
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }

    /// The text of the file an environment variable names (a harness-written input); throws when unset or unreadable.
    static func file(_ variable: String) throws -> String {
        guard let path = value(variable), !path.isEmpty else { throw SystemTestError.missingVariable(variable) }
        return try readTextFile(path)
    }

    /// The whole content of a text file.
    static func readTextFile(_ path: String) throws -> String {
        let fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        defer { try? fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a system test could not get its inputs.
enum SystemTestError: Error, CustomStringConvertible {
    /// The harness did not set this variable (run the tests through Scripts/system-tests).
    case missingVariable(String)
    /// A harness-written file has an unexpected line.
    case malformedInput(file: String, line: String)

    var description: String {
        switch self {
        case .missingVariable(let name):
            return "\(name) is not set: run the system tests through Scripts/system-tests"
        case .malformedInput(let file, let line):
            return "unexpected line in \(file): \(line)"
        }
    }
}
