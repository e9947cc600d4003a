#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import CUdev
import SystemPackage
package import USBIPWire
package import USBIPSupport

/// Enumerates USB devices through libudev, as the C tools do (`udev_enumerate_add_match_subsystem("usb")`).
///
/// libudev always reads the real `/sys` (it cannot be pointed at a fixture tree), so tests use
/// ``SysfsDeviceSource``; both parse attribute text with the same function and return the same values.
///
/// libudev objects must be created, used and released on one thread (systemd 245–257 `libudev(3)`): each call
/// creates its own udev context, uses it synchronously and releases it before returning. The struct itself holds
/// nothing and is `Sendable`; the context wrappers are not.
///
/// libudev.so.1 is loaded on first use (``load(libraryName:)``), not linked: only `usbip list -l` needs it.
package struct UdevDeviceSource: DeviceSource, Sendable {
    /// The library loaded: libudev's soname, as Debian's libudev1 installs it.
    package static let libraryName = "libudev.so.1"

    /// A source that asks libudev.
    package init() {}

    /// Loads libudev (once per process; later calls return at once). Throws when it is missing or lacks a
    /// function this source uses, with the loader's message.
    package static func load(libraryName: String = UdevDeviceSource.libraryName) throws(USBIPError) {
        var message = [CChar](repeating: 0, count: 512)
        if cudev_load(libraryName, &message, message.count) != 0 {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .libraryUnavailable(name: libraryName, reason: text, package: "libudev1")
        }
    }

    /// All USB devices in libudev's enumeration order (sorted by syspath), root hubs included, interfaces excluded.
    package func devices() throws(USBIPError) -> [USBDevice] {
        try UdevContext().devices()
    }

    /// The device `busid` (`udev_device_new_from_subsystem_sysname("usb", busid)`), or `nil`.
    package func device(_ busid: BusID) throws(USBIPError) -> USBDevice? {
        try UdevContext().device(busid)
    }
}

// MARK: - libudev wrappers (single-thread, never Sendable)

/// A `struct udev *` owned for the duration of one synchronous call.
private final class UdevContext {
    let pointer: OpaquePointer

    init() throws(USBIPError) {
        try UdevDeviceSource.load()
        guard let pointer = cudev_new() else {
            throw .udev(operation: "context", errno: Errno(rawValue: errno))
        }
        self.pointer = pointer
    }

    deinit { cudev_unref(pointer) }

    /// Every device and interface of subsystem `usb` (optionally only `parent` and its descendants), in order.
    func enumerate(parent: UdevDevice? = nil) throws(USBIPError) -> [UdevDevice] {
        guard let enumerate = cudev_enumerate_new(pointer) else {
            throw .udev(operation: "enumeration", errno: Errno(rawValue: errno))
        }
        defer { cudev_enumerate_unref(enumerate) }
        var status = cudev_enumerate_add_match_subsystem(enumerate, "usb")
        if status >= 0, let parent { status = cudev_enumerate_add_match_parent(enumerate, parent.pointer) }
        if status >= 0 { status = cudev_enumerate_scan_devices(enumerate) }
        guard status >= 0 else {
            throw .sysfs(operation: "enumerate USB devices in", path: "/sys/bus/usb/devices", errno: Errno(rawValue: -status))
        }
        var result: [UdevDevice] = []
        var entry = cudev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            if let path = cudev_list_entry_get_name(current),
               let device = cudev_device_new_from_syspath(pointer, path) {
                result.append(UdevDevice(device))  // nil: the device went away since the scan
            }
            entry = cudev_list_entry_get_next(current)
        }
        return result
    }

    func devices() throws(USBIPError) -> [USBDevice] {
        var devices: [UdevDevice] = []
        var interfacesByParent: [String: [String: UdevDevice]] = [:]
        for device in try enumerate() {
            if try device.isInterface() {
                let parent = String(device.sysname.prefix { $0 != ":" })
                interfacesByParent[parent, default: [:]][device.sysname] = device
            } else {
                devices.append(device)
            }
        }
        var result: [USBDevice] = []
        for device in devices {
            guard let busid = BusID(device.sysname) else { continue }
            do {
                result.append(try device.parse(busid, interfaces: interfacesByParent[busid.rawValue] ?? [:]))
            } catch {
                if access(device.syspath, F_OK) == 0 { throw error }  // else: unplugged while we read it
            }
        }
        return result
    }

    func device(_ busid: BusID) throws(USBIPError) -> USBDevice? {
        guard let pointer = cudev_device_new_from_subsystem_sysname(pointer, "usb", busid.rawValue) else { return nil }
        let device = UdevDevice(pointer)
        if try device.isInterface() { return nil }
        var interfaces: [String: UdevDevice] = [:]
        for child in try enumerate(parent: device) where child.sysname.hasPrefix(busid.rawValue + ":") {
            interfaces[child.sysname] = child
        }
        return try device.parse(busid, interfaces: interfaces)
    }
}

/// A `struct udev_device *` with the strings the parser needs.
private final class UdevDevice {
    let pointer: OpaquePointer
    let sysname: String
    let syspath: String
    let devpath: String
    let driver: String?

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
        self.sysname = cudev_device_get_sysname(pointer).map { String(cString: $0) } ?? ""
        self.syspath = cudev_device_get_syspath(pointer).map { String(cString: $0) } ?? ""
        self.devpath = cudev_device_get_devpath(pointer).map { String(cString: $0) } ?? ""
        self.driver = cudev_device_get_driver(pointer).map { String(cString: $0) }
    }

    deinit { cudev_device_unref(pointer) }

    /// `udev_device_get_sysattr_value`: `nil` when the attribute does not exist; other failures are thrown.
    func attribute(_ name: String) throws(USBIPError) -> String? {
        errno = 0
        if let value = cudev_device_get_sysattr_value(pointer, name) { return String(cString: value) }
        let code = errno
        if code == 0 || code == ENOENT { return nil }
        throw .sysfs(operation: "read", path: syspath + "/" + name, errno: Errno(rawValue: code))
    }

    /// Whether this is an interface (it has `bInterfaceNumber`), as the C tools decide.
    func isInterface() throws(USBIPError) -> Bool {
        try attribute("bInterfaceNumber") != nil
    }

    func parse(_ busid: BusID, interfaces: [String: UdevDevice]) throws(USBIPError) -> USBDevice {
        try USBDevice(
            busid: busid,
            syspath: syspath,
            devpath: devpath,
            driver: driver,
            childNames: Array(interfaces.keys),
            attribute: { (name: String) throws(USBIPError) -> String? in try self.attribute(name) },
            interfaceAttribute: { (node: String, name: String) throws(USBIPError) -> String? in
                try interfaces[node]?.attribute(name)
            }
        )
    }
}

@available(*, unavailable, message: "libudev objects must stay on the thread that created them")
extension UdevContext: Sendable {}

@available(*, unavailable, message: "libudev objects must stay on the thread that created them")
extension UdevDevice: Sendable {}
