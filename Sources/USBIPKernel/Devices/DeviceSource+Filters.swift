package import USBIPSupport
// MARK: - The sets the tools work on

extension DeviceSource {
    /// What `usbip list -l` shows (mainline): devices that are not hubs (`bDeviceClass` 09) and are not attached
    /// through the local vhci_hcd.
    package func localListable() throws(USBIPError) -> [USBDevice] {
        try devices().filter { !$0.isHub && !$0.isAttachedThroughVHCI }
    }
}
