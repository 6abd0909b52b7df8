import Foundation

/// How this kernel spaces a connecting socket's SYN retransmissions.
///
/// The textbook (and Linux before 6.x) doubles the timeout after each retransmission: 1 s, 2 s,
/// 4 s … Newer kernels have `net.ipv4.tcp_syn_linear_timeouts` (default 4): while a socket in
/// SYN_SENT has retransmitted no more than that many times, the timeout stays at its initial
/// 1 s, and only then doubles. The lab reads the setting in the run's own network namespace (the
/// lab process runs inside it) and keeps it in the observation (`Observation.synBackoff`,
/// `synBackoff` in `--json`), so the claims judge the capture against the rule really in force.
public struct SynBackoffRule: Sendable, Codable, Equatable {
    /// The sysctl's value, or nil when the kernel has no such setting (pure exponential backoff).
    public var linearTimeouts: Int?

    public init(linearTimeouts: Int?) { self.linearTimeouts = linearTimeouts }

    /// Reads `/proc/sys/net/ipv4/tcp_syn_linear_timeouts` of the current network namespace
    /// (per-namespace since it was added); a missing file means the kernel has no such setting.
    static func read() -> SynBackoffRule {
        let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_syn_linear_timeouts", encoding: .utf8)
        return SynBackoffRule(linearTimeouts: text.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
    }

    /// The timeline note: the setting and what it means (for the reader; claims read the field).
    var note: String {
        let name = "kernel  net.ipv4.tcp_syn_linear_timeouts"
        guard let linearTimeouts else {
            return "\(name) does not exist here: SYN retransmissions back off exponentially (1 s, 2 s, 4 s …)"
        }
        return "\(name) = \(linearTimeouts): a connecting socket's SYN timeout stays 1 s for its first "
            + "\(linearTimeouts) retransmissions, then doubles"
    }

    /// How much longer than the one before the timeout is after the `retransmission`-th retransmission (1-based).
    func growth(after retransmission: Int) -> Double {
        if let linearTimeouts, retransmission <= linearTimeouts { return 1 }
        return 2
    }
}
