extension DevListReply {
    /// Reads one `OP_REP_DEVLIST` from `stream` by exact-size reads: the 8-byte `op_common`, then (status 0) the
    /// 4-byte `ndev`, then per device the 312-byte record and `bNumInterfaces` × 4 bytes.
    ///
    /// Throws ``WireError/unexpectedReply(expected:received:)`` for another reply code, ``WireError`` for malformed
    /// bytes (`ndev` above ``maxDevices`` before anything else is read), and the stream's own errors unchanged.
    public static func receive(from stream: inout some ByteStream) throws -> DevListReply {
        let header = try stream.receiveOpCommon().expecting(reply: .devListReply)
        guard header.opStatus.isSuccess else { return DevListReply(status: header.opStatus, devices: []) }
        var countReader = ByteReader(try stream.read(exactly: 4))
        let count = try checkedDeviceCount(countReader.readInteger(as: UInt32.self))
        var devices: [ExportedDevice] = []
        for _ in 0..<count {
            let record = try DeviceRecord(parsingAll: stream.read(exactly: DeviceRecord.byteCount))
            let length = Int(record.bNumInterfaces) * InterfaceRecord.byteCount
            var reader = ByteReader(try stream.readIfAny(exactly: length))
            var interfaces: [InterfaceRecord] = []
            while reader.remaining > 0 {
                interfaces.append(try InterfaceRecord(parsing: &reader))
            }
            devices.append(ExportedDevice(record: record, interfaces: interfaces))
        }
        return DevListReply(status: header.opStatus, devices: devices)
    }
}
