/// The `tr` and `tm->when` columns of /proc/net/tcp (or `idiag_timer` and `idiag_expires` of
/// sock_diag): which kernel timer is pending on the socket and how long until it fires.
///
/// The kernel (`get_tcp4_sock()` in net/ipv4/tcp_ipv4.c) reports 1 while the retransmit, RACK
/// reorder or tail-loss-probe timer is pending, 4 for the zero-window probe timer, 2 when only
/// `sk_timer` (keepalive, also the SYN-ACK timer of a listener) is pending, 3 for a TIME_WAIT
/// socket and 1 for a request socket in SYN_RECV. `tm->when` is printed with
/// `jiffies_delta_to_clock_t`, i.e. in USER_HZ ticks (1/100 s), clamped at 0 once overdue;
/// sock_diag gives the same time in milliseconds (`jiffies_delta_to_msecs`).
public struct SocketTimer: Sendable, Hashable, Codable {
    /// The timer code in the `tr` column (`IDIAG_TIMER_*` in linux/inet_diag.h). The names
    /// follow ss (`tmr_name[]` in misc/ss.c).
    public enum Kind: UInt8, Sendable, Codable {
        /// Code 0 (`IDIAG_TIMER_OFF`): no timer pending. ss prints no `timer:` field.
        case none = 0
        /// Code 1 (`IDIAG_TIMER_ON`): retransmission (or SYN-ACK) timer; ss calls it `on`.
        case retransmit = 1
        /// Code 2 (`IDIAG_TIMER_KEEPALIVE`): keepalive timer; ss calls it `keepalive`.
        case keepalive = 2
        /// Code 3 (`IDIAG_TIMER_TIMEWAIT`): the TIME_WAIT timer of a timewait socket; ss calls it `timewait`.
        case timeWait = 3
        /// Code 4 (`IDIAG_TIMER_PROBE0`): zero-window probe timer (`ICSK_TIME_PROBE0`); ss calls it `persist`.
        case zeroWindowProbe = 4
        /// Code 5 (`IDIAG_TIMER_DELACK`): the delayed-ACK timer, which sock_diag reports since
        /// Linux commit c698f5cc940d ("inet_diag: report delayed ack timer information", 2026;
        /// /proc never shows it); ss calls it `delack`.
        case delayedAck = 5
        /// Any code above 5, which no current kernel reports; ss shows it as `unknown`.
        case unknown = 6

        /// Maps a `tr` code to a kind; codes this lab does not know become `.unknown`, as in ss.
        public init(code: UInt8) {
            self = code <= Kind.delayedAck.rawValue ? Kind(rawValue: code)! : .unknown
        }

        /// The word ss prints inside `timer:(...)`.
        public var ssName: String {
            switch self {
            case .none: "off"
            case .retransmit: "on"
            case .keepalive: "keepalive"
            case .timeWait: "timewait"
            case .zeroWindowProbe: "persist"
            case .delayedAck: "delack"
            case .unknown: "unknown"
            }
        }
    }

    /// Which timer is pending.
    public var kind: Kind
    /// `tm->when`: time until the timer fires, in 1/100 s (USER_HZ ticks). From sock_diag, the
    /// milliseconds divided by 10 (rounded down).
    public var expiresInHundredths: UInt64
    /// `idiag_expires`: the same time in milliseconds, as sock_diag reports it (and ss prints
    /// it); nil when the row came from /proc, which has only hundredths.
    public var expiresInMilliseconds: UInt64?
    /// The `retrnsmt` column: `icsk_retransmits` (for SYN_RECV, the SYN-ACKs resent).
    public var retransmits: UInt32
    /// The `timeout` column after `uid`: `icsk_probes_out`, the unanswered keepalive or
    /// zero-window probes. ss shows this count, not `retransmits`, for those two timers.
    public var probes: UInt32

    /// Builds a timer value; `probes` defaults to 0 as for most rows, `expiresInMilliseconds`
    /// to nil (a /proc row).
    public init(
        kind: Kind, expiresInHundredths: UInt64, retransmits: UInt32, probes: UInt32 = 0,
        expiresInMilliseconds: UInt64? = nil
    ) {
        self.kind = kind
        self.expiresInHundredths = expiresInHundredths
        self.expiresInMilliseconds = expiresInMilliseconds
        self.retransmits = retransmits
        self.probes = probes
    }

    /// No timer pending.
    public static let none = SocketTimer(kind: .none, expiresInHundredths: 0, retransmits: 0)

    /// The time left in milliseconds: sock_diag's own value, or /proc's hundredths times 10
    /// (which is what ss computes from /proc with USER_HZ 100). Saturates instead of overflowing.
    public var milliseconds: UInt64 {
        if let expiresInMilliseconds { return expiresInMilliseconds }
        let (ms, overflow) = expiresInHundredths.multipliedReportingOverflow(by: 10)
        return overflow ? .max : ms
    }

    /// The timer as `ss -o` prints it: `timer:(timewait,59sec,0)`, `timer:(on,316ms,0)`,
    /// `timer:(keepalive,7.213sec,0)`, `timer:(keepalive,1min14sec,0)`; empty when no timer is
    /// pending.
    public var ssText: String {
        guard kind != .none else { return "" }
        // The kernel (inet_diag) reports probes_out as the count for these two timers.
        let count = (kind == .keepalive || kind == .zeroWindowProbe) ? probes : retransmits
        return "timer:(\(kind.ssName),\(SocketTimer.ssDuration(milliseconds: milliseconds)),\(count))"
    }

    /// iproute2's `print_ms_timer()` as it is since iproute2 6.11 (commit 3e807112, "ss: fix
    /// expired time format of timer", 2024), quirks included: under a second `316ms` (three
    /// digits, `040ms`); 1 to 10 s with milliseconds `7.213sec` (ss 6.1 to 6.10 printed
    /// `7.213ms` there, which read as milliseconds); whole seconds `7sec`; 10 s to a minute drop
    /// the milliseconds (`59sec`); from a minute on the milliseconds go too (`1min14sec`), and
    /// from ten minutes the seconds as well (`11min`); 0 is the empty string.
    static func ssDuration(milliseconds: UInt64) -> String {
        let minutes = milliseconds / 60_000
        var seconds = (milliseconds / 1000) % 60
        var millis = milliseconds % 1000
        var text = ""
        if minutes > 0 {
            millis = 0
            text += "\(minutes)min"
            if minutes > 9 { seconds = 0 }
        }
        if seconds > 0 {
            if seconds > 9 { millis = 0 }
            text += "\(seconds)" + (millis > 0 ? "." : "sec")
        }
        if millis > 0 {
            let digits = String(millis)
            text += String(repeating: "0", count: 3 - digits.count) + digits + (seconds > 0 ? "sec" : "ms")
        }
        return text
    }
}
