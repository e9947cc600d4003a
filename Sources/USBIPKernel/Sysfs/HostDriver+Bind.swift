package import Logging
import SystemPackage
package import USBIPWire
package import USBIPSupport

extension HostDriver {
    /// What ``HostDriver/bind(_:logger:)`` did.
    package struct BindResult: Sendable, Equatable {
        /// The device now bound to usbip-host.
        package var busid: BusID
        /// The device-level driver it was taken from (normally `usb`), `nil` if it had none.
        package var previousDriver: String?

        /// A result value.
        package init(busid: BusID, previousDriver: String?) {
            self.busid = busid
            self.previousDriver = previousDriver
        }
    }

    /// How ``HostDriver/unbind(_:logger:)`` handed a device back to its normal driver.
    package enum Reprobe: Sendable, Equatable {
        /// usbip-host's `rebind` attribute did it (and dropped the bus id from the match table).
        case rebind
        /// `rebind` failed with `ENODEV` (bus id no longer in the match table), so the bus id was written to
        /// `bus/usb/drivers_probe`.
        case driversProbe
    }

    /// What ``HostDriver/unbind(_:logger:)`` did.
    package struct UnbindResult: Sendable, Equatable {
        /// The device released from usbip-host.
        package var busid: BusID
        /// How it was handed back to its normal driver.
        package var reprobe: Reprobe

        /// A result value.
        package init(busid: BusID, reprobe: Reprobe) {
            self.busid = busid
            self.reprobe = reprobe
        }
    }

    /// The driver core's "probe this device again" attribute, relative to the sysfs root.
    package static let driversProbePath = "bus/usb/drivers_probe"

    // MARK: - bind

    /// Binds the device `busid` to usbip-host so that it can be exported (`usbip bind -b`).
    ///
    /// Checks, in order: the driver is loaded; the device exists and is a device, not an interface
    /// (`.deviceNotFound`, listing local devices);
    /// it is not itself attached through vhci_hcd (`.bindLoop`); it is not a hub (`.isHub`); it is not already
    /// bound (`.alreadyBound`). Then: unbinds its device-level driver (writes the bus id to
    /// `bus/usb/drivers/<driver>/unbind`), writes `add <busid>` to `match_busid`, writes the bus id to
    /// `usbip-host/bind`. When a step fails, the steps already done are undone — `del <busid>`, then the
    /// original driver is bound again (`bus/usb/drivers/<driver>/bind`, else `bus/usb/drivers_probe`) — so the
    /// device is left as it was found, and the first error is thrown.
    @discardableResult
    package func bind(_ busid: BusID, logger: Logger) throws(USBIPError) -> BindResult {
        try requireLoaded()
        let devicePath = Self.devicePath(busid)
        // An interface (`2-1:1.0`) is not a device usbip-host can take; the C tool would try and fail later.
        guard deviceExists(busid), !sysfs.exists(devicePath + "/bInterfaceNumber") else {
            throw .deviceNotFound(busid, available: localDevices())
        }
        let resolved = sysfs.resolve(devicePath) ?? devicePath
        if USBDevice.isBelowVHCI(resolved) {
            throw .bindLoop(busid, devpath: "/" + resolved)
        }
        if sysfs.readAttributeIfPresent(devicePath + "/bDeviceClass") == "09" {
            throw .isHub(busid)
        }
        let original = currentDriver(of: busid)
        if let original, original.hasPrefix(Self.driverName) {
            throw .alreadyBound(busid)
        }
        var metadata: Logger.Metadata = ["busid": "\(busid)"]
        metadata["driver"] = original.map { "\($0)" }

        if let original {
            logger.debug("unbinding device from its driver", metadata: metadata)
            try attributeWriter(busid.rawValue, "bus/usb/drivers/\(original)/unbind")
        }
        do {
            try addMatch(busid)
        } catch {
            restoreDriver(original, of: busid, logger: logger)
            throw error
        }
        do {
            try bindDriver(busid)
        } catch {
            logger.debug("binding to usbip-host failed, rolling back", metadata: metadata)
            do {
                try removeMatch(busid)
            } catch let undoError {
                logger.debug("rollback: del from match_busid failed: \(undoError)", metadata: metadata)
            }
            restoreDriver(original, of: busid, logger: logger)
            throw error
        }
        logger.debug("bound device to usbip-host", metadata: metadata)
        return BindResult(busid: busid, previousDriver: original)
    }

    /// Gives `busid` back to `driver` (rollback): writes the bus id to `bus/usb/drivers/<driver>/bind`, and if
    /// that fails to `bus/usb/drivers_probe`. Failures are logged, not thrown: the caller throws the first error.
    private func restoreDriver(_ driver: String?, of busid: BusID, logger: Logger) {
        guard let driver else { return }
        let metadata: Logger.Metadata = ["busid": "\(busid)", "driver": "\(driver)"]
        do {
            try attributeWriter(busid.rawValue, "bus/usb/drivers/\(driver)/bind")
            logger.debug("rollback: rebound original driver", metadata: metadata)
        } catch {
            logger.debug("rollback: binding original driver failed (\(error)), probing instead", metadata: metadata)
            do {
                try attributeWriter(busid.rawValue, Self.driversProbePath)
            } catch let probeError {
                logger.debug("rollback: drivers_probe failed: \(probeError)", metadata: metadata)
            }
        }
    }

    // MARK: - unbind

    /// Releases `busid` from usbip-host and hands it back to its normal driver (`usbip unbind -b`).
    ///
    /// The device must exist (`.deviceNotFound`) and be bound to usbip-host (`.notBound`). Then: writes the bus
    /// id to `usbip-host/unbind`, `del <busid>` to `match_busid`, and the bus id to `usbip-host/rebind`; if
    /// `rebind` fails with `ENODEV` (the bus id already left the match table), writes it to
    /// `bus/usb/drivers_probe` instead. When a later step fails, the device is bound to usbip-host again (and
    /// re-added to the table when it had been removed), so it is left as found, and the first error is thrown.
    @discardableResult
    package func unbind(_ busid: BusID, logger: Logger) throws(USBIPError) -> UnbindResult {
        try requireLoaded()
        guard deviceExists(busid) else {
            throw .deviceNotFound(busid, available: localDevices())
        }
        guard currentDriver(of: busid) == Self.driverName else {
            throw .notBound(busid)
        }
        let metadata: Logger.Metadata = ["busid": "\(busid)"]

        try unbindDriver(busid)
        do {
            try removeMatch(busid)
        } catch {
            logger.debug("del from match_busid failed, binding back", metadata: metadata)
            rebindToHost(busid, readd: false, logger: logger)
            throw error
        }
        do {
            try rebind(busid)
            logger.debug("handed device back through rebind", metadata: metadata)
            return UnbindResult(busid: busid, reprobe: .rebind)
        } catch {
            guard error.sysfsErrno == .operationNotSupportedByDevice else {
                logger.debug("rebind failed, binding back", metadata: metadata)
                rebindToHost(busid, readd: true, logger: logger)
                throw error
            }
        }
        do {
            try attributeWriter(busid.rawValue, Self.driversProbePath)
        } catch {
            logger.debug("drivers_probe failed, binding back", metadata: metadata)
            rebindToHost(busid, readd: true, logger: logger)
            throw error
        }
        logger.debug("handed device back through drivers_probe", metadata: metadata)
        return UnbindResult(busid: busid, reprobe: .driversProbe)
    }

    /// Binds `busid` to usbip-host again after a failed unbind (rollback), first re-adding it to the match
    /// table when `readd`. Failures are logged, not thrown.
    private func rebindToHost(_ busid: BusID, readd: Bool, logger: Logger) {
        let metadata: Logger.Metadata = ["busid": "\(busid)"]
        if readd {
            do {
                try addMatch(busid)
            } catch {
                logger.debug("rollback: add to match_busid failed: \(error)", metadata: metadata)
            }
        }
        do {
            try bindDriver(busid)
        } catch {
            logger.debug("rollback: binding back to usbip-host failed: \(error)", metadata: metadata)
        }
    }
}
