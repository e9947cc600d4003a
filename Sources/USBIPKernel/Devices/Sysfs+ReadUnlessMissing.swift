import SystemPackage
package import USBIPSupport

extension Sysfs {
    /// Reads a text attribute; `nil` when it does not exist (`ENOENT`), other read errors are thrown.
    package func readAttributeUnlessMissing(_ relative: String) throws(USBIPError) -> String? {
        do {
            return try readAttribute(relative)
        } catch {
            if case .sysfs(_, _, let errno) = error, errno == .noSuchFileOrDirectory { return nil }
            throw error
        }
    }
}
