/// One SACK block (RFC 2018): the receiver holds bytes `left..<right` of the sender's stream.
public struct SACKBlock: Sendable, Hashable, Codable {
    /// First sequence number of the block.
    public var left: UInt32
    /// Sequence number just past the block.
    public var right: UInt32

    /// A block covering `left..<right`.
    public init(left: UInt32, right: UInt32) {
        self.left = left
        self.right = right
    }
}

/// One option from a TCP header, decoded.
///
/// A known kind whose length does not match its definition (an MSS option of length 3, a SACK
/// option whose data is not a multiple of 8) is kept as `.unknown` with its raw data rather than
/// guessed at. `tcpdumpText` prints every case as tcpdump 4.99 does (print-tcp.c, print-mptcp.c).
public enum TCPOption: Sendable, Hashable, Codable {
    /// Kind 0: end of the option list; the rest of the header is padding.
    case endOfOptions
    /// Kind 1: a one-byte filler, used to align the next option.
    case noOperation
    /// Kind 2: the largest segment the sender wants to receive (SYN only).
    case maximumSegmentSize(UInt16)
    /// Kind 3: the shift the sender will apply to its advertised window (SYN only, RFC 7323).
    case windowScale(UInt8)
    /// Kind 4: the sender can take SACK options (SYN only).
    case sackPermitted
    /// Kind 5: selective acknowledgment blocks.
    case sack([SACKBlock])
    /// Kind 8: timestamps (RFC 7323): the sender's clock and the last one it saw from its peer.
    case timestamp(value: UInt32, echo: UInt32)
    /// Kind 19: the 16-byte TCP MD5 signature (RFC 2385).
    case md5Signature([UInt8])
    /// Kind 28: user timeout (RFC 5482), the raw 16-bit field: granularity bit (1 = minutes) in
    /// bit 15, the timeout in the other 15 bits.
    case userTimeout(UInt16)
    /// Kind 29: TCP-AO (RFC 5925): the key ids and the message authentication code.
    case authentication(keyID: UInt8, nextKeyID: UInt8, mac: [UInt8])
    /// Kind 30: a Multipath TCP option (RFC 8684).
    case multipath(MPTCPOption)
    /// Kind 34: TCP Fast Open (RFC 7413): an empty cookie is a cookie request.
    case fastOpen(cookie: [UInt8])
    /// Kinds 253 and 254, the shared experimental options (RFC 4727) with an RFC 6994
    /// experiment id first: 0xf989 is TCP Fast Open's, 0xacc0/0xacc1 AccECN's.
    case experimental(kind: UInt8, experimentID: UInt16, data: [UInt8])
    /// The snapshot length cut the header here: tcpdump's `[|tcp]`, after the name of the
    /// option it had begun (`TS [|tcp]`), or alone when the cut came before an option's length.
    case cut(kind: UInt8?)
    /// A SACK option the snapshot length cut inside its blocks: the block count its length
    /// declares and the whole blocks captured before the cut (tcpdump: `sack 3 {1:2} [|tcp]`).
    case sackCut(count: Int, blocks: [SACKBlock])
    /// Any other kind, or a known kind with a malformed length, with the data after kind and length.
    case unknown(kind: UInt8, data: [UInt8])

    /// The option as tcpdump prints it inside `options [...]`: "mss 65495", "sackOK",
    /// "TS val 123 ecr 0", "wscale 7", "nop", "eol", "sack 1 {100:200}", "mptcp 12 capable v1 {0x…}",
    /// "tfo  cookiereq", "exp-tfo cookie 0102…", "uto 0x258 300", "TS [|tcp]", "sack 2 {1:2} [|tcp]",
    /// "unknown-99 0x0102".
    ///
    /// SACK blocks are the absolute sequence numbers in the header (tcpdump's `-S` output);
    /// `tcpdumpText(sackBase:)` gives them relative. An unknown option with no data is just "unknown-K".
    public var tcpdumpText: String { tcpdumpText(sackBase: 0) }

    /// The same, SACK blocks less `sackBase` (the peer's initial sequence number, as tcpdump does
    /// without `-S`: a SACK block acknowledges the peer's bytes, like the ACK field).
    public func tcpdumpText(sackBase: UInt32) -> String {
        switch self {
        case .endOfOptions: return "eol"
        case .noOperation: return "nop"
        case let .maximumSegmentSize(mss): return "mss \(mss)"
        case let .windowScale(shift): return "wscale \(shift)"
        case .sackPermitted: return "sackOK"
        case let .sack(blocks):
            var text = "sack \(blocks.count) "
            for block in blocks { text += "{\(block.left &- sackBase):\(block.right &- sackBase)}" }
            return text
        case let .timestamp(value, echo): return Self.timestampText(value, echo)
        case let .md5Signature(signature):
            // tcpdump built with libcrypto (Debian's, Ubuntu's) tries to verify and says why not.
            return "md5 shared secret not supplied with -M, can't check - " + Self.hex(signature)
        case let .userTimeout(raw):
            let seconds = raw & 1 == 1 ? UInt32(raw >> 1) * 60 : UInt32(raw >> 1)
            return "uto 0x\(String(raw, radix: 16)) \(seconds)"
        case let .authentication(keyID, nextKeyID, mac):
            return "tcp-ao keyid \(keyID) rnextkeyid \(nextKeyID)" + (mac.isEmpty ? "" : " mac 0x" + Self.hex(mac))
        case let .multipath(option): return option.tcpdumpText
        // tcpdump 4.99 prints a space before the cookie text, which starts with one: "tfo  cookiereq".
        case let .fastOpen(cookie): return "tfo " + Self.fastOpenText(cookie)
        case let .experimental(kind, id, data):
            guard kind == 254 else {
                // tcpdump names only 254; 253 prints as any unknown kind.
                return "unknown-\(kind) 0x" + hex4(id) + Self.hex(data)
            }
            return id == 0xF989 ? "exp-tfo" + Self.fastOpenText(data) : "exp-" + hex4(id)
        case let .cut(kind):
            guard let kind else { return "[|tcp]" }
            return Self.name(kind) + " [|tcp]"
        case let .sackCut(count, blocks):
            // tcpdump prints the count, each whole block, then a space and the mark: with no
            // whole block that is `sack 3  [|tcp]`, two spaces.
            var text = "sack \(count) "
            for block in blocks { text += "{\(block.left &- sackBase):\(block.right &- sackBase)}" }
            return text + " [|tcp]"
        case let .unknown(kind, data):
            return Self.unknownText(kind, data)
        }
    }

    /// tcpdump's name for an option kind (`tcp_option_values`), "unknown-K" for the rest.
    static func name(_ kind: UInt8) -> String {
        switch kind {
        case 0: return "eol"
        case 1: return "nop"
        case 2: return "mss"
        case 3: return "wscale"
        case 4: return "sackOK"
        case 5: return "sack"
        case 6: return "echo"
        case 7: return "echoreply"
        case 8: return "TS"
        case 11: return "cc"
        case 12: return "ccnew"
        case 13: return "ccecho"
        case 19: return "md5"
        case 20: return "scps"
        case 28: return "uto"
        case 29: return "tcp-ao"
        case 30: return "mptcp"
        case 34: return "tfo"
        case 254: return "exp"
        default: return "unknown-\(kind)"
        }
    }

    /// The T/TCP and echo options tcpdump still decodes, malformed known kinds, and the rest as hex.
    private static func unknownText(_ kind: UInt8, _ data: [UInt8]) -> String {
        switch (kind, data.count) {
        case (5, _): return "sack invalid sack"
        case (6, 4), (7, 4), (11, 4), (12, 4), (13, 4):
            return name(kind) + " \(data.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })"
        case (20, 2): return "scps cap \(hex2(data[0])) id \(data[1])"
        case (29, _): return "tcp-ao (invalid)"
        case (34, _): return "tfo (invalid)"
        case (_, 0): return name(kind)
        default: return name(kind) + " 0x" + hex(data)
        }
    }

    /// tcpdump's `print_tcp_fastopen_option`: " cookiereq", " cookie 0102…", " (invalid)".
    private static func fastOpenText(_ cookie: [UInt8]) -> String {
        if cookie.isEmpty { return " cookiereq" }
        if cookie.count % 2 != 0 || cookie.count < 4 || cookie.count > 16 { return " (invalid)" }
        return " cookie " + hex(cookie)
    }

    /// "TS val 123 ecr 456", written digit by digit into one allocation: nearly every segment of
    /// a Linux capture carries a timestamp, and `tcplab decode` prints millions.
    static func timestampText(_ value: UInt32, _ echo: UInt32) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            var at = 0
            func put(_ text: StaticString) {
                text.withUTF8Buffer { for byte in $0 { buffer[at] = byte; at += 1 } }
            }
            func put(_ number: UInt32) {
                var digits = 1
                var rest = number / 10
                while rest > 0 { digits += 1; rest /= 10 }
                var left = number
                for index in stride(from: at + digits - 1, through: at, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(left % 10)
                    left /= 10
                }
                at += digits
            }
            put("TS val ")
            put(value)
            put(" ecr ")
            put(echo)
            return at
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes { text += hex2(byte) }
        return text
    }
}
