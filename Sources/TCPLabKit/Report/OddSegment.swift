/// Names the segments no TCP sends in an ordinary connection: control flags that do not go
/// together, no flags at all, or an RST that carries data. They are facts of the header, so
/// they are named whatever the capture's origin.
enum OddSegment {
    /// The annotation for `flags` carrying `length` bytes, or nil for an ordinary segment.
    ///
    /// - SYN, FIN and RST together in any pair: RFC 9293 §3.10.7 checks the RST bit before SYN
    ///   and FIN in every state, so a receiver acts on the RST alone; SYN+FIN opens and closes at
    ///   once, which no TCP sends (scanners and crafted packets do).
    /// - No flags, or no ACK on a segment that is neither a SYN nor an RST: RFC 9293 §3.10.7.4
    ///   drops a segment without ACK once the connection is synchronized (scanners send them:
    ///   a "NULL scan", an "Xmas scan" with FIN+PSH+URG).
    /// - An RST with data: RFC 9293 §3.5.3 lets an RST carry a diagnostic payload (SHLD-2);
    ///   Linux never sends one, middleboxes sometimes do.
    static func annotation(_ flags: TCPFlags, length: Int) -> String? {
        let control = flags.intersection([.syn, .fin, .rst])
        switch control {
        case [.syn, .fin]:
            return "SYN+FIN: invalid combination (opens and closes at once; no TCP sends it, scanners do)"
        case [.syn, .rst], [.fin, .rst], [.syn, .fin, .rst]:
            return "\(names(control)): invalid combination (RFC 9293 §3.10.7 checks RST first: a receiver acts on the RST alone)"
        default:
            break
        }
        if flags.isEmpty {
            return "no flags set: invalid (RFC 9293 §3.10.7.4 drops a segment without ACK; a NULL scan)"
        }
        if flags.intersection([.syn, .rst, .ack]).isEmpty {
            return "no ACK on a segment that is not a SYN or RST: invalid (RFC 9293 §3.10.7.4 drops it; FIN+PSH+URG is an \"Xmas\" scan)"
        }
        if flags.contains(.rst), length > 0 {
            return "RST carrying \(length) byte\(length == 1 ? "" : "s") of data (RFC 9293 §3.5.3 diagnostic payload)"
        }
        return nil
    }

    /// Whether `flags` open a connection as a TCP does: SYN without FIN or RST (ACK, PSH and
    /// ECN's ECE and CWR may ride along, RFC 3168 §6.1.1). Only such a SYN or SYN-ACK says which
    /// side is the client; a SYN among odd flags (`FSRP.UEW`) is named above and names no roles.
    static func isPlainSYN(_ flags: TCPFlags) -> Bool {
        flags.intersection([.syn, .fin, .rst]) == .syn
    }

    /// `SYN+FIN+RST`: the control flags that are set, in header order.
    private static func names(_ control: TCPFlags) -> String {
        [(TCPFlags.syn, "SYN"), (.fin, "FIN"), (.rst, "RST")].filter { control.contains($0.0) }.map(\.1).joined(separator: "+")
    }
}
