/// Names for the IP protocol numbers a student is likely to meet, for `notTCP` reasons.
enum IPProtocolName {
    /// " (UDP)" for 17 and so on; empty for numbers without a name here.
    static func suffix(for number: UInt8) -> String {
        switch number {
        case 1: return " (ICMP)"
        case 2: return " (IGMP)"
        case 17: return " (UDP)"
        case 41: return " (IPv6 in IPv4)"
        case 47: return " (GRE)"
        case 50: return " (ESP)"
        case 51: return " (AH)"
        case 58: return " (ICMPv6)"
        case 59: return " (no next header)"
        case 132: return " (SCTP)"
        default: return ""
        }
    }
}
