/// The `tr` and `tm->when` columns of /proc/net/tcp: which kernel timer is pending on the
/// socket and how long until it fires.
///
/// The kernel (`get_tcp4_sock()` in net/ipv4/tcp_ipv4.c) reports 1 while the retransmit, RACK
/// reorder or tail-loss-probe timer is pending, 4 for the zero-window probe timer, 2 when only
/// `sk_timer` (keepalive, also the SYN-ACK timer of a listener) is pending, 3 for a TIME_WAIT
/// socket and 1 for a request socket in SYN_RECV. `tm->when` is printed with
/// `jiffies_delta_to_clock_t`, i.e. in USER_HZ ticks (1/100 s), clamped at 0 once overdue.
public struct SocketTimer: Sendable, Hashable, Codable {
    /// The timer code in the `tr` column. The names follow ss (`tmr_name[]` in misc/ss.c).
    public enum Kind: UInt8, Sendable, Codable {
        /// Code 0: no timer pending. ss prints no `timer:` field.
        case none = 0
        /// Code 1: retransmission (or SYN-ACK) timer; ss calls it `on`.
        case retransmit = 1
        /// Code 2: keepalive timer; ss calls it `keepalive`.
        case keepalive = 2
        /// Code 3: the TIME_WAIT timer of a timewait socket; ss calls it `timewait`.
        case timeWait = 3
        /// Code 4: zero-window probe timer (`ICSK_TIME_PROBE0`); ss calls it `persist`.
        case zeroWindowProbe = 4
        /// Any code above 4, which no current kernel prints; ss shows it as `unknown`.
        case unknown = 5

        /// Maps a `tr` code to a kind; codes this lab does not know become `.unknown`, as in ss.
        public init(code: UInt8) {
            self = Kind(rawValue: code) ?? .unknown
        }

        /// The word ss prints inside `timer:(...)`.
        public var ssName: String {
            switch self {
            case .none: "off"
            case .retransmit: "on"
            case .keepalive: "keepalive"
            case .timeWait: "timewait"
            case .zeroWindowProbe: "persist"
            case .unknown: "unknown"
            }
        }
    }

    /// Which timer is pending.
    public var kind: Kind
    /// `tm->when`: time until the timer fires, in 1/100 s (USER_HZ ticks).
    public var expiresInHundredths: UInt64
    /// The `retrnsmt` column: `icsk_retransmits` (for SYN_RECV, the SYN-ACKs resent).
    public var retransmits: UInt32
    /// The `timeout` column after `uid`: `icsk_probes_out`, the unanswered keepalive or
    /// zero-window probes. ss shows this count, not `retransmits`, for those two timers.
    public var probes: UInt32

    /// Builds a timer value; `probes` defaults to 0 as for most rows.
    public init(kind: Kind, expiresInHundredths: UInt64, retransmits: UInt32, probes: UInt32 = 0) {
        self.kind = kind
        self.expiresInHundredths = expiresInHundredths
        self.retransmits = retransmits
        self.probes = probes
    }

    /// No timer pending.
    public static let none = SocketTimer(kind: .none, expiresInHundredths: 0, retransmits: 0)

    /// The timer as `ss -o` prints it: `timer:(timewait,59sec,0)`, `timer:(on,316ms,0)`,
    /// `timer:(keepalive,1min14sec,0)`; empty when no timer is pending.
    ///
    /// Mirrors iproute2 6.1 `print_ms_timer()` exactly, quirks included: whole minutes drop
    /// the milliseconds, ten or more seconds drop them too, and a fractional time below a
    /// minute reads `4.696ms` (the same digits ss shows for 4.696 seconds).
    public var ssText: String {
        guard kind != .none else { return "" }
        // The kernel (inet_diag) reports probes_out as the count for these two timers.
        let count = (kind == .keepalive || kind == .zeroWindowProbe) ? probes : retransmits
        let (ms, overflow) = expiresInHundredths.multipliedReportingOverflow(by: 10)
        return "timer:(\(kind.ssName),\(SocketTimer.ssDuration(milliseconds: overflow ? .max : ms)),\(count))"
    }

    /// iproute2's `print_ms_timer()`: "316ms", "040ms", "59sec", "1min14sec", "11min", "4.696ms", "".
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
            text += String(repeating: "0", count: 3 - digits.count) + digits + "ms"
        }
        return text
    }
}
