package import Logging
import Synchronization
package import SystemPackage
package import USBIPSupport
package import USBIPKernel

/// A logger that drops everything (tests never bootstrap the logging system).
package let quietLogger = Logger(label: "usbip.tests.sysfs", factory: { _ in SwiftLogNoOpLogHandler() })

/// Records the attribute writes a driver makes, in order, and passes them on (or fails them on demand).
package final class WriteLog: Sendable {
    /// An empty log.
    package init() {}

    private let entries = Mutex<[String]>([])

    /// Each write as `"<relative path> <- <value>"`.
    package var writes: [String] { entries.withLock { $0 } }

    /// A writer that logs, then asks `inject` for an errno to fail with, else writes through `sysfs`.
    package func writer(
        sysfs: Sysfs, inject: @escaping @Sendable (_ value: String, _ relative: String) -> Errno? = { _, _ in nil }
    ) -> @Sendable (String, String) throws(USBIPError) -> Void {
        { [self] (value: String, relative: String) throws(USBIPError) in
            entries.withLock { $0.append("\(relative) <- \(value)") }
            if let errno = inject(value, relative) {
                throw .sysfs(operation: "write '\(value)' to", path: sysfs.kernelPath(relative), errno: errno)
            }
            try sysfs.write(value, to: relative)
        }
    }
}
