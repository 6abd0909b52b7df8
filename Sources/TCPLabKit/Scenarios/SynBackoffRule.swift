import Foundation

/// How this kernel spaces a connecting socket's SYN retransmissions.
///
/// The textbook (and Linux before 6.x) doubles the timeout after each retransmission: 1 s, 2 s,
/// 4 s … Newer kernels have `net.ipv4.tcp_syn_linear_timeouts` (default 4): while a socket in
/// SYN_SENT has retransmitted no more than that many times, the timeout stays at its initial
/// 1 s, and only then doubles. The lab reads the setting from its own namespace and records it
/// as a note, so the claims judge the capture against the rule that was really in force.
struct SynBackoffRule: Equatable {
    /// The sysctl's value, or nil when the kernel has no such setting (pure exponential backoff).
    var linearTimeouts: Int?

    static let notePrefix = "kernel  net.ipv4.tcp_syn_linear_timeouts"

    /// Reads the setting of the current network namespace.
    static func read() -> SynBackoffRule {
        let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_syn_linear_timeouts", encoding: .utf8)
        return SynBackoffRule(linearTimeouts: text.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
    }

    /// The rule as recorded in a run's notes, if the run recorded it.
    static func recorded(in observation: Observation) -> SynBackoffRule? {
        guard let note = observation.notes.first(where: { $0.text.hasPrefix(notePrefix) }) else { return nil }
        let value = note.text.dropFirst(notePrefix.count).drop { !$0.isNumber }.prefix { $0.isNumber }
        return SynBackoffRule(linearTimeouts: Int(value))
    }

    /// The timeline note: the setting and what it means.
    var note: String {
        guard let linearTimeouts else {
            return "\(Self.notePrefix) does not exist here: SYN retransmissions back off exponentially (1 s, 2 s, 4 s …)"
        }
        return "\(Self.notePrefix) = \(linearTimeouts): a connecting socket's SYN timeout stays 1 s for its first "
            + "\(linearTimeouts) retransmissions, then doubles"
    }

    /// How much longer than the one before the timeout is after the `retransmission`-th retransmission (1-based).
    func growth(after retransmission: Int) -> Double {
        if let linearTimeouts, retransmission <= linearTimeouts { return 1 }
        return 2
    }
}
