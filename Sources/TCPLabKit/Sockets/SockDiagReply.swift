import Glibc

/// Parsing of the kernel's NETLINK_SOCK_DIAG dump reply, apart from the socket I/O in
/// `SockDiag.readTable()`: pure functions from recorded bytes to socket entries, bounds-checked
/// on every read, so they are unit-tested and fuzzed (Fuzz/SockDiagFuzzer.swift) on bytes alone.
extension SockDiag {
    /// What one datagram of a dump reply carried.
    struct Reply: Sendable, Equatable {
        /// The sockets, in the kernel's order; messages that are not TCP sockets in a state /proc
        /// lists are skipped, as `ss` skips them.
        var entries: [SocketEntry]
        /// True when the datagram ended the dump (an NLMSG_DONE message): read no further.
        var isDone: Bool
    }

    /// Parses one datagram of a dump reply (netlink(7)): a run of messages, each a 16-byte
    /// `nlmsghdr` (`nlmsg_len` u32 counting the header, `nlmsg_type` u16, flags u16, seq u32,
    /// pid u32; host order) and its payload, the next one starting at `NLMSG_ALIGN(nlmsg_len)`
    /// (a multiple of 4). `SOCK_DIAG_BY_FAMILY` messages carry an `inet_diag_msg`; NLMSG_DONE
    /// ends the dump; NLMSG_ERROR carries a negative errno.
    ///
    /// Throws `.unreadable(path: "netlink sock_diag", …)` for an NLMSG_ERROR (with its errno's
    /// text) and for a message whose length is below 16 or runs past the datagram's end (`ss`
    /// stops with "Message truncated" there too); fewer than 16 bytes left after the last message
    /// are padding and ignored.
    static func parse(reply datagram: ArraySlice<UInt8>) throws(ProcNetTCPError) -> Reply {
        let bytes = Array(datagram)
        var reply = Reply(entries: [], isDone: false)
        var offset = 0
        while offset + 16 <= bytes.count {
            let length = Int(load(UInt32.self, bytes, offset))
            let type = load(UInt16.self, bytes, offset + 4)
            guard length >= 16, length <= bytes.count - offset else {
                throw .unreadable(path: "netlink sock_diag", reason: "malformed reply: the message at byte \(offset) "
                    + "says it is \(length) bytes long, but \(bytes.count - offset) bytes are left in the \(bytes.count)-byte datagram")
            }
            switch type {
            case done:
                reply.isDone = true
                return reply
            case error:
                // struct nlmsgerr: `int error` (a negative errno), then the request's header.
                guard length >= 20 else {
                    throw .unreadable(path: "netlink sock_diag", reason: "malformed reply: an NLMSG_ERROR of \(length) bytes has no error code")
                }
                let code = Int64(Int32(bitPattern: load(UInt32.self, bytes, offset + 16)))
                throw .unreadable(path: "netlink sock_diag", reason: Errno(rawValue: Int32(clamping: -code)).message)
            case sockDiagByFamily:
                if let entry = parse(message: bytes[(offset + 16)..<(offset + length)]) { reply.entries.append(entry) }
            default:
                break
            }
            offset += (length + 3) & ~3
        }
        return reply
    }

    /// One `inet_diag_msg` (the payload after the netlink header; inet_diag.h): family, state,
    /// timer, retrans (1 byte each), `inet_diag_sockid` (ports big-endian at 4 and 6, addresses
    /// at 8 and 24, 16 bytes each, `idiag_if` u32 at 40, cookie), expires (ms), rqueue, wqueue,
    /// uid, inode (u32 each, host order), then netlink attributes (`attributes(_:)`). Nil when it
    /// is shorter than 72 bytes or its state is not one /proc lists.
    ///
    /// The bound device comes back as `BoundDevice(index:name:)` named `if<N>`: naming it is
    /// I/O (`SockDiag.readTable` does it). `retrans` is the count ss prints for every timer; it
    /// is kept as `probes` for the keepalive and zero-window probe timers (`icsk_probes_out`, as
    /// /proc's column) and as `retransmits` for the others.
    static func parse(message: ArraySlice<UInt8>) -> SocketEntry? {
        guard message.count >= messageSize, let state = TCPState(rawValue: message[message.startIndex + 1]) else { return nil }
        let bytes = Array(message)
        let family: IPFamily = bytes[0] == UInt8(AF_INET6) ? .ipv6 : .ipv4
        func address(_ start: Int) -> IPAddress? {
            IPAddress(networkOrder: family == .ipv4 ? bytes[start..<start + 4] : bytes[start..<start + 16])
        }
        guard let local = address(8), let remote = address(24) else { return nil }
        let timerCode = bytes[2]
        let retrans = UInt32(bytes[3])
        let countsProbes = timerCode == SocketTimer.Kind.keepalive.rawValue || timerCode == SocketTimer.Kind.zeroWindowProbe.rawValue
        let expiresMilliseconds = UInt64(load(UInt32.self, bytes, 52))
        let timer = SocketTimer(
            kind: .init(code: timerCode), expiresInHundredths: expiresMilliseconds / 10,
            retransmits: countsProbes ? 0 : retrans, probes: countsProbes ? retrans : 0,
            expiresInMilliseconds: expiresMilliseconds)
        let interfaceIndex = load(UInt32.self, bytes, 40)
        let v6Only = family == .ipv6 ? attributes(bytes[messageSize...])[skV6Only]?.first.map { $0 != 0 } : nil
        return SocketEntry(
            family: family, localAddress: local, localPort: UInt16(bytes[4]) << 8 | UInt16(bytes[5]),
            remoteAddress: remote, remotePort: UInt16(bytes[6]) << 8 | UInt16(bytes[7]),
            state: state, sendQueue: load(UInt32.self, bytes, 60), receiveQueue: load(UInt32.self, bytes, 56),
            timer: timer, uid: load(UInt32.self, bytes, 64), inode: UInt64(load(UInt32.self, bytes, 68)),
            device: interfaceIndex == 0 ? nil : BoundDevice(index: interfaceIndex, name: "if\(interfaceIndex)"),
            v6Only: v6Only)
    }

    /// The netlink attributes after an `inet_diag_msg` (netlink(7) `struct rtattr`/`nlattr`:
    /// `nla_len` u16 counting its 4-byte header, `nla_type` u16 whose top two bits are flags,
    /// the payload, the next one at the length rounded up to 4), by type, payload only. Reading
    /// stops at an attribute whose length is below 4 or runs past the end, as iproute2's
    /// `parse_rtattr()` does; a repeated type keeps its last payload, as there.
    static func attributes(_ bytes: ArraySlice<UInt8>) -> [UInt16: ArraySlice<UInt8>] {
        let bytes = Array(bytes)
        var found: [UInt16: ArraySlice<UInt8>] = [:]
        var offset = 0
        while offset + 4 <= bytes.count {
            let length = Int(load(UInt16.self, bytes, offset))
            guard length >= 4, length <= bytes.count - offset else { break }
            found[load(UInt16.self, bytes, offset + 2) & 0x3FFF] = ArraySlice(bytes[(offset + 4)..<(offset + length)])
            offset += (length + 3) & ~3
        }
        return found
    }

    /// A host-order integer at `offset` (netlink headers and inet_diag counters are host order);
    /// the caller has checked that `offset + size` is in bounds.
    private static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], _ offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[offset + index] }
        }
        return T(littleEndian: value)
    }
}
