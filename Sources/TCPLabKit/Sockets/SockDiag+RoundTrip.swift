import Glibc

extension SockDiag {
    /// `INET_DIAG_INFO` (inet_diag.h): the attribute carrying `struct tcp_info`; asked for with
    /// bit `INET_DIAG_INFO - 1` of `idiag_ext`.
    static let diagInfo: UInt16 = 2

    /// The round-trip estimates (`RoundTripReading`) of the IPv4 TCP socket from `localPort` to
    /// `remotePort` in this network namespace, as `ss -ti` reads them: one sock_diag dump asking
    /// for `INET_DIAG_INFO`. Nil when no such socket exists or the kernel's `tcp_info` has no
    /// `tcpi_min_rtt`; throws when netlink cannot be used.
    public static func readRoundTrip(localPort: UInt16, remotePort: UInt16, afterSegment: Int) throws(ProcNetTCPError) -> RoundTripReading? {
        let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard fd >= 0 else { throw .unreadable(path: "netlink sock_diag", reason: Errno.current.message) }
        defer { close(fd) }
        var bytes = request(family: UInt8(AF_INET), sequence: 3)
        bytes[18] = UInt8(1 << (diagInfo - 1))  // idiag_ext, after the 16-byte header and family, protocol
        try send(bytes, on: fd)
        let time = WallClock.nowMicroseconds()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var found: RoundTripReading?
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: "netlink sock_diag", reason: Errno.current.message)
            }
            let reply = try roundTrips(reply: buffer[0..<count], localPort: localPort, remotePort: remotePort, time: time, afterSegment: afterSegment)
            found = found ?? reply.reading
            if reply.isDone { return found }
        }
    }

    /// One datagram of an `INET_DIAG_INFO` dump: the reading of the socket from `localPort` to
    /// `remotePort` if this datagram carries it, and whether the dump ended. Same framing and
    /// errors as `parse(reply:)`.
    static func roundTrips(
        reply datagram: ArraySlice<UInt8>, localPort: UInt16, remotePort: UInt16, time: Int64, afterSegment: Int
    ) throws(ProcNetTCPError) -> (reading: RoundTripReading?, isDone: Bool) {
        let bytes = Array(datagram)
        var reading: RoundTripReading?
        var offset = 0
        while offset + 16 <= bytes.count {
            let length = Int(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
            let type = UInt16(bytes[offset + 4]) | UInt16(bytes[offset + 5]) << 8
            guard length >= 16, length <= bytes.count - offset else {
                throw .unreadable(path: "netlink sock_diag", reason: "malformed reply: the message at byte \(offset) "
                    + "says it is \(length) bytes long, but \(bytes.count - offset) bytes are left in the \(bytes.count)-byte datagram")
            }
            if type == done || type == error {
                _ = try parse(reply: datagram[(datagram.startIndex + offset)...])  // throws NLMSG_ERROR's errno
                return (reading, true)
            }
            let message = bytes[(offset + 16)..<(offset + length)]
            if type == sockDiagByFamily, message.count >= messageSize {
                let start = message.startIndex
                let local = UInt16(message[start + 4]) << 8 | UInt16(message[start + 5])
                let remote = UInt16(message[start + 6]) << 8 | UInt16(message[start + 7])
                if local == localPort, remote == remotePort, let info = attributes(message[(start + messageSize)...])[diagInfo] {
                    reading = RoundTripReading.parse(tcpInfo: info, time: time, afterSegment: afterSegment)
                }
            }
            offset += (length + 3) & ~3
        }
        return (reading, false)
    }
}
