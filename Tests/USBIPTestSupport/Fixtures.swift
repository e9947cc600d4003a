package import SystemPackage

/// Locates the checked-in fixture files (captures from the real kernel and Debian's C tools).
package enum Fixtures {
    /// `Tests/Fixtures`, found from this source file's location (no Foundation bundles).
    package static let directory: FilePath = {
        var path = FilePath(#filePath)
        path.removeLastComponent()  // Fixtures.swift
        path.removeLastComponent()  // USBIPTestSupport
        return path.appending("Fixtures")
    }()

    /// A path inside the fixtures directory.
    package static func path(_ relative: String) -> FilePath { directory.appending(relative) }
}
