/// The flag bits of a TCP header, as tcpdump shows them.
///
/// `rawValue` holds the 9 flag bits in header order: the low 8 bits are byte 13 of the TCP
/// header (FIN 0x01 … CWR 0x80) and AE (formerly NS, RFC 3540 / accurate ECN) is 0x100, the
/// low bit of byte 12.
public struct TCPFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt16

    /// Builds flags from the 9 header bits; higher bits are kept as given.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// FIN: the sender has no more data (tcpdump "F").
    public static let fin = TCPFlags(rawValue: 0x01)
    /// SYN: synchronize sequence numbers, opens a connection (tcpdump "S").
    public static let syn = TCPFlags(rawValue: 0x02)
    /// RST: reset the connection (tcpdump "R").
    public static let rst = TCPFlags(rawValue: 0x04)
    /// PSH: push buffered data to the application (tcpdump "P").
    public static let psh = TCPFlags(rawValue: 0x08)
    /// ACK: the acknowledgment number is valid (tcpdump ".").
    public static let ack = TCPFlags(rawValue: 0x10)
    /// URG: the urgent pointer is valid (tcpdump "U").
    public static let urg = TCPFlags(rawValue: 0x20)
    /// ECE: ECN echo (tcpdump "E").
    public static let ece = TCPFlags(rawValue: 0x40)
    /// CWR: congestion window reduced (tcpdump "W").
    public static let cwr = TCPFlags(rawValue: 0x80)
    /// AE: accurate ECN, the bit once called NS (tcpdump "e").
    public static let ae = TCPFlags(rawValue: 0x100)

    // tcpdump's tcp_flag_values table, in its order: bittok2str walks the table, so a FIN+PSH+ACK
    // segment prints "FP." and an ECN SYN-ACK prints "S.E".
    private static let tcpdumpLetters: [(TCPFlags, Character)] = [
        (.fin, "F"), (.syn, "S"), (.rst, "R"), (.psh, "P"), (.ack, "."),
        (.urg, "U"), (.ece, "E"), (.cwr, "W"), (.ae, "e"),
    ]

    /// tcpdump's notation for these flags, as inside `Flags [...]`: "S", "S.", ".", "P.", "F.",
    /// "FP.", "R", "R."; "none" when no flag is set.
    public var tcpdumpNotation: String {
        rawValue < 0x200 ? Self.notations[Int(rawValue)] : Self.spell(self)
    }

    /// Every 9-bit combination spelled once, so decoding a large capture does not rebuild them.
    private static let notations: [String] = (0..<0x200).map { spell(TCPFlags(rawValue: UInt16($0))) }

    private static func spell(_ flags: TCPFlags) -> String {
        let letters = tcpdumpLetters.filter { flags.contains($0.0) }.map(\.1)
        return letters.isEmpty ? "none" : String(letters)
    }
}
