package import SystemPackage

extension USBIPError {
    /// The errno of a failed sysfs read or write, or `nil` for other errors.
    package var sysfsErrno: Errno? {
        if case .sysfs(_, _, let errno) = self { return errno }
        return nil
    }
}
