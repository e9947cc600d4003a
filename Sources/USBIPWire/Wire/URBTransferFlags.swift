/// `transfer_flags` of `USBIP_CMD_SUBMIT`: the wire's `USBIP_URB_*` bits (`include/uapi/linux/usbip.h`), which are
/// decoupled from the kernel's internal `URB_*` values since 2022. Unknown bits are kept.
public struct URBTransferFlags: OptionSet, Hashable, Sendable {
    /// The 32-bit value as sent on the wire.
    public let rawValue: UInt32

    /// Wraps raw flag bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `USBIP_URB_SHORT_NOT_OK` (0x1): a short IN transfer is an error.
    public static let shortNotOK = URBTransferFlags(rawValue: 0x0000_0001)
    /// `USBIP_URB_ISO_ASAP` (0x2): start an ISO transfer at the next frame.
    public static let isoASAP = URBTransferFlags(rawValue: 0x0000_0002)
    /// `USBIP_URB_NO_TRANSFER_DMA_MAP` (0x4): cleared by senders.
    public static let noTransferDMAMap = URBTransferFlags(rawValue: 0x0000_0004)
    /// `USBIP_URB_ZERO_PACKET` (0x40): end a bulk OUT transfer with a zero-length packet.
    public static let zeroPacket = URBTransferFlags(rawValue: 0x0000_0040)
    /// `USBIP_URB_NO_INTERRUPT` (0x80).
    public static let noInterrupt = URBTransferFlags(rawValue: 0x0000_0080)
    /// `USBIP_URB_FREE_BUFFER` (0x100).
    public static let freeBuffer = URBTransferFlags(rawValue: 0x0000_0100)
    /// `USBIP_URB_DIR_IN` (0x200): the transfer is device to host (`USBIP_URB_DIR_MASK`).
    public static let dirIn = URBTransferFlags(rawValue: 0x0000_0200)
    /// `USBIP_URB_DIR_MASK` (0x200): the direction bit.
    public static let dirMask = URBTransferFlags(rawValue: 0x0000_0200)
    /// `USBIP_URB_DMA_MAP_SINGLE` (0x10000).
    public static let dmaMapSingle = URBTransferFlags(rawValue: 0x0001_0000)
    /// `USBIP_URB_DMA_MAP_PAGE` (0x20000).
    public static let dmaMapPage = URBTransferFlags(rawValue: 0x0002_0000)
    /// `USBIP_URB_DMA_MAP_SG` (0x40000).
    public static let dmaMapSG = URBTransferFlags(rawValue: 0x0004_0000)
    /// `USBIP_URB_MAP_LOCAL` (0x80000).
    public static let mapLocal = URBTransferFlags(rawValue: 0x0008_0000)
    /// `USBIP_URB_SETUP_MAP_SINGLE` (0x100000).
    public static let setupMapSingle = URBTransferFlags(rawValue: 0x0010_0000)
    /// `USBIP_URB_SETUP_MAP_LOCAL` (0x200000).
    public static let setupMapLocal = URBTransferFlags(rawValue: 0x0020_0000)
    /// `USBIP_URB_DMA_SG_COMBINED` (0x400000).
    public static let dmaSGCombined = URBTransferFlags(rawValue: 0x0040_0000)
    /// `USBIP_URB_ALIGNED_TEMP_BUFFER` (0x800000).
    public static let alignedTempBuffer = URBTransferFlags(rawValue: 0x0080_0000)
}
