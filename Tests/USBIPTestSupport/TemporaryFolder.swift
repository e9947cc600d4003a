#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SystemPackage

/// A throw-away folder under `/tmp` (`mkdtemp`) for files a test hands to a tool. Call ``remove()`` when done.
package struct TemporaryFolder: Sendable {
    /// The folder's absolute path.
    package let path: String

    /// Creates `/tmp/usbip-test-XXXXXX`.
    package init() throws {
        var template = Array("/tmp/usbip-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkdtemp($0) != nil } ?? false }
        guard made else { throw ToolRunner.Failure(description: "mkdtemp: errno \(errno)") }
        path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `contents` to the file `name` in the folder and returns the file's path.
    @discardableResult
    package func write(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        let fd = try FileDescriptor.open(
            FilePath(file), .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite])
        try fd.closeAfter { _ = try fd.writeAll(Array(contents.utf8)) }
        return file
    }

    /// Deletes the folder and everything in it.
    package func remove() { SysfsFixture.removeTree(FilePath(path)) }
}
