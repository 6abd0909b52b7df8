import Foundation

/// The sender's round-trip estimates as its kernel held them at one moment: `struct tcp_info`
/// (include/uapi/linux/tcp.h) read over sock_diag (`INET_DIAG_INFO`), the numbers `ss -ti` prints
/// as `rtt:SRTT/RTTVAR` and `minrtt:MIN`.
///
/// The loss scenario's tail-loss variant reads it right after the probe's SACK: Linux's RACK
/// (net/ipv4/tcp_recovery.c `tcp_rack_advance`, RFC 8985 §6.2) ignores the SACK of a resent
/// segment whose round trip is shorter than `tcpi_min_rtt`, since it may be for the original.
public struct RoundTripReading: Sendable, Codable, Equatable {
    /// When the lab read it, CLOCK_REALTIME microseconds.
    public var time: Int64
    /// The capture number of the last segment the lab had seen when it read (the probe's SACK).
    public var afterSegment: Int
    /// `tcpi_rtt`: the smoothed round-trip time, microseconds.
    public var rttMicroseconds: UInt32
    /// `tcpi_rttvar`: its mean deviation, microseconds.
    public var rttvarMicroseconds: UInt32
    /// `tcpi_min_rtt`: the smallest round trip the connection has measured (windowed over
    /// net.ipv4.tcp_min_rtt_wlen, 300 s), microseconds; `UInt32.max` (~0U) when none yet.
    public var minRTTMicroseconds: UInt32

    public init(time: Int64, afterSegment: Int, rttMicroseconds: UInt32, rttvarMicroseconds: UInt32, minRTTMicroseconds: UInt32) {
        self.time = time
        self.afterSegment = afterSegment
        self.rttMicroseconds = rttMicroseconds
        self.rttvarMicroseconds = rttvarMicroseconds
        self.minRTTMicroseconds = minRTTMicroseconds
    }

    /// Byte offsets in `struct tcp_info` (stable ABI: fields are only ever appended).
    static let rttOffset = 68, rttvarOffset = 72, minRTTOffset = 148
    /// The bytes up to and including `tcpi_min_rtt` (Linux 4.10 and later).
    static let minimumSize = 152

    /// The estimates in an `INET_DIAG_INFO` payload (host order); nil when it is too short to
    /// hold `tcpi_min_rtt` (a kernel older than 4.10).
    static func parse(tcpInfo payload: ArraySlice<UInt8>, time: Int64, afterSegment: Int) -> RoundTripReading? {
        let bytes = Array(payload)
        guard bytes.count >= minimumSize else { return nil }
        func word(_ offset: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
        }
        return RoundTripReading(time: time, afterSegment: afterSegment, rttMicroseconds: word(rttOffset),
                                rttvarMicroseconds: word(rttvarOffset), minRTTMicroseconds: word(minRTTOffset))
    }

    /// `0.041`: microseconds as ss's milliseconds with three decimals.
    static func milliseconds(_ microseconds: UInt32) -> String {
        String(format: "%.3f", Double(microseconds) / 1000)
    }

    /// The timeline line: what ss -ti would show for the socket.
    public var text: String {
        "rtt:\(Self.milliseconds(rttMicroseconds))/\(Self.milliseconds(rttvarMicroseconds)) minrtt:\(Self.milliseconds(minRTTMicroseconds))"
    }
}
