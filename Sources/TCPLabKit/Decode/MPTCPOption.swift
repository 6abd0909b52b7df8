/// A Multipath TCP option (kind 30, RFC 8684), kept whole, read as tcpdump's print-mptcp.c does.
///
/// What a subtype's bytes mean depends on the segment's SYN and ACK flags (an MP_CAPABLE of 12
/// bytes is valid on a SYN, one of 20 on the third ACK), so the flags are kept with it.
public struct MPTCPOption: Sendable, Hashable, Codable {
    /// The option's bytes from its kind byte on (kind, length, subtype …).
    public var bytes: [UInt8]
    /// The flags of the segment that carried it.
    public var flags: TCPFlags

    /// Builds the option from its whole bytes and its segment's flags.
    public init(bytes: [UInt8], flags: TCPFlags) {
        self.bytes = bytes
        self.flags = flags
    }

    /// The subtypes of RFC 8684 section 3, with tcpdump's names.
    public enum Subtype: UInt8, Sendable {
        case capable = 0, join, dataSequenceSignal, addAddress, removeAddress, priority, fail, fastClose, unknown

        /// tcpdump's name: `capable`, `join`, `dss`, `add-addr`, `rem-addr`, `prio`, `fail`, `fast-close`.
        public var tcpdumpName: String {
            switch self {
            case .capable: return "capable"
            case .join: return "join"
            case .dataSequenceSignal: return "dss"
            case .addAddress: return "add-addr"
            case .removeAddress: return "rem-addr"
            case .priority: return "prio"
            case .fail: return "fail"
            case .fastClose: return "fast-close"
            case .unknown: return "unknown"
            }
        }
    }

    /// The subtype (the high nibble of the third byte); anything past fast-close is `.unknown`.
    public var subtype: Subtype {
        bytes.count < 3 ? .unknown : Subtype(rawValue: min(bytes[2] >> 4, 8)) ?? .unknown
    }

    /// As tcpdump prints it: `mptcp 12 capable v1 {0x1a2b…}`, `mptcp 4 capable v1`,
    /// `mptcp 20 dss ack 123 seq 456 subseq 1 len 100 csum 0x1234`; `[bad opt]` after the name
    /// when the length does not fit the subtype and flags.
    public var tcpdumpText: String {
        let length = bytes.count
        guard length >= 3 else { return "mptcp[bad opt]" }
        var text = "mptcp \(length) \(subtype.tcpdumpName)"
        guard let details = details else { return text + "[bad opt]" }
        text += details
        return text
    }

    private var syn: Bool { flags.contains(.syn) }
    private var ack: Bool { flags.contains(.ack) }

    /// The text after the subtype name, nil where tcpdump's printer returns 0 ("bad opt").
    private var details: String? {
        let length = bytes.count
        switch subtype {
        case .capable:
            guard ((length == 12 || length == 4) && syn) || ((length == 20 || length == 22) && ack && !syn) else { return nil }
            let version = bytes[2] & 0x0F
            guard version <= 1 else { return " Unknown Version (\(version))" }
            var text = " v\(version)"
            if bytes[3] & 0x80 != 0 { text += " csum" }
            if length == 12 || length >= 20 {
                text += " {0x" + String(uint64(at: 4), radix: 16)
                if length >= 20 { text += ",0x" + String(uint64(at: 12), radix: 16) }
                text += "}"
            }
            return text
        case .join:
            guard (length == 12 && syn) || (length == 16 && syn && ack) || (length == 24 && ack) else { return nil }
            var text = ""
            if length != 24 {
                if bytes[2] & 0x01 != 0 { text += " backup" }
                text += " id \(bytes[3])"
            }
            switch length {
            case 12: text += " token 0x" + String(uint32(at: 4), radix: 16) + " nonce 0x" + String(uint32(at: 8), radix: 16)
            case 16: text += " hmac 0x" + String(uint64(at: 4), radix: 16) + " nonce 0x" + String(uint32(at: 12), radix: 16)
            default: text += " hmac 0x" + TCPOption.hex(Array(bytes[4..<24]))
            }
            return text
        case .dataSequenceSignal:
            return dssDetails
        case .addAddress:
            guard [8, 10, 16, 18, 20, 22, 28, 30].contains(length) else { return nil }
            let echo: String
            switch bytes[2] & 0x0F {
            case 0x6: echo = "v0-ip6"
            case 0x4: echo = "v0-ip4"
            case 0x1: echo = "v1-echo"
            case 0x0: echo = "v1"
            default: echo = "[bad version/echo]"
            }
            var text = " \(echo) id \(bytes[3])"
            let v4 = length <= 18
            let addressLength = v4 ? 4 : 16
            text += " " + (IPAddress(networkOrder: bytes[4..<4 + addressLength])?.description ?? "")
            let withPort = length == 10 || length == 18 || length == 22 || length == 30
            if withPort { text += ":\(UInt16(bytes[4 + addressLength]) << 8 | UInt16(bytes[5 + addressLength]))" }
            if length == 16 || length == 28 { text += " hmac 0x" + String(uint64(at: 4 + addressLength), radix: 16) }
            if length == 18 || length == 30 { text += " hmac 0x" + String(uint64(at: 6 + addressLength), radix: 16) }
            return text
        case .removeAddress:
            guard length >= 4 else { return nil }
            return " id" + bytes[3...].map { " \($0)" }.joined()
        case .priority:
            guard length == 3 || length == 4 else { return nil }
            return (bytes[2] & 0x01 != 0 ? " backup" : " non-backup") + (length == 4 ? " id \(bytes[3])" : "")
        case .fail:
            guard length == 12 else { return nil }
            return " seq \(uint64(at: 4))"
        case .fastClose:
            guard length == 12 else { return nil }
            return " key 0x" + String(uint64(at: 4), radix: 16)
        case .unknown:
            return ""
        }
    }

    /// DSS (data sequence signal): DATA_FIN, a 4- or 8-byte data ACK, a mapping with an optional checksum.
    private var dssDetails: String? {
        guard bytes.count >= 4, !syn else { return nil }
        let dssFlags = bytes[3]
        var at = 4
        var text = dssFlags & 0x10 != 0 ? " fin" : ""
        func take(_ wide: Bool) -> UInt64? {
            let size = wide ? 8 : 4
            guard bytes.count - at >= size else { return nil }
            defer { at += size }
            return wide ? uint64(at: at) : UInt64(uint32(at: at))
        }
        if dssFlags & 0x01 != 0 {
            guard let value = take(dssFlags & 0x02 != 0) else { return nil }
            text += " ack \(value)"
        }
        if dssFlags & 0x04 != 0 {
            guard let sequence = take(dssFlags & 0x08 != 0) else { return nil }
            text += " seq \(sequence)"
            guard let subflow = take(false) else { return nil }
            text += " subseq \(subflow)"
            guard bytes.count - at >= 2 else { return nil }
            text += " len \(UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]))"
            at += 2
            if bytes.count - at >= 2 {
                text += " csum 0x" + String(UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]), radix: 16)
                at += 2
            }
        }
        return at == bytes.count ? text : nil
    }

    private func uint32(at index: Int) -> UInt32 {
        bytes[index..<index + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private func uint64(at index: Int) -> UInt64 {
        bytes[index..<index + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
