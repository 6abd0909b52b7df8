/// A TCP connection state as the Linux kernel numbers it (`include/net/tcp_states.h`).
///
/// The raw value is the code the kernel prints in the `st` column of /proc/net/tcp and
/// /proc/net/tcp6. Code 12 (`TCP_NEW_SYN_RECV`) is internal: the kernel reports request
/// sockets as `TCP_SYN_RECV` (3), so it never appears in /proc and is not a case here.
public enum TCPState: UInt8, Sendable, Codable, CaseIterable {
    /// Kernel name `TCP_ESTABLISHED`: the handshake is done and data can flow both ways.
    case established = 1
    /// Kernel name `TCP_SYN_SENT`: `connect()` sent a SYN and waits for the SYN-ACK.
    case synSent = 2
    /// Kernel name `TCP_SYN_RECV`: a listener answered a SYN and waits for the final ACK.
    case synReceived = 3
    /// Kernel name `TCP_FIN_WAIT1`: this side closed and its FIN is not yet acknowledged.
    case finWait1 = 4
    /// Kernel name `TCP_FIN_WAIT2`: this side's FIN was acknowledged; waiting for the peer's FIN.
    case finWait2 = 5
    /// Kernel name `TCP_TIME_WAIT`: both FINs exchanged; the closer waits 2*MSL (60 s on Linux).
    case timeWait = 6
    /// Kernel name `TCP_CLOSE`: no connection (a socket that is bound but neither listening nor connected).
    case close = 7
    /// Kernel name `TCP_CLOSE_WAIT`: the peer closed; this side has not called `close()` yet.
    case closeWait = 8
    /// Kernel name `TCP_LAST_ACK`: the peer closed first, then this side closed; waiting for the last ACK.
    case lastAck = 9
    /// Kernel name `TCP_LISTEN`: `listen()` was called; connections queue here until `accept()`.
    case listen = 10
    /// Kernel name `TCP_CLOSING`: both sides closed at once; the peer's FIN came before the ACK of ours.
    case closing = 11

    /// The name students meet in netstat output and textbooks (`FIN_WAIT2`, `SYN_RECV`).
    public var name: String {
        switch self {
        case .established: "ESTABLISHED"
        case .synSent: "SYN_SENT"
        case .synReceived: "SYN_RECV"
        case .finWait1: "FIN_WAIT1"
        case .finWait2: "FIN_WAIT2"
        case .timeWait: "TIME_WAIT"
        case .close: "CLOSE"
        case .closeWait: "CLOSE_WAIT"
        case .lastAck: "LAST_ACK"
        case .listen: "LISTEN"
        case .closing: "CLOSING"
        }
    }

    /// The short name `ss -tan` prints (iproute2 `sstate_name[]`): `ESTAB`, `FIN-WAIT-2`, and
    /// `UNCONN` for `TCP_CLOSE`.
    public var ssName: String {
        switch self {
        case .established: "ESTAB"
        case .synSent: "SYN-SENT"
        case .synReceived: "SYN-RECV"
        case .finWait1: "FIN-WAIT-1"
        case .finWait2: "FIN-WAIT-2"
        case .timeWait: "TIME-WAIT"
        case .close: "UNCONN"
        case .closeWait: "CLOSE-WAIT"
        case .lastAck: "LAST-ACK"
        case .listen: "LISTEN"
        case .closing: "CLOSING"
        }
    }
}

extension TCPState {
    /// The state a name denotes, in any of the spellings students meet, in any case: the kernel's
    /// (`TCP_FIN_WAIT2`, `TCP_CLOSE`), netstat's (`FIN_WAIT2`), ss's (`FIN-WAIT-2`, `ESTAB`,
    /// `UNCONN`), RFC 9293's (`FIN-WAIT-2`, `SYN-RECEIVED`, `CLOSED`) and loose ones (`fin wait 2`,
    /// `FIN_WAIT_2`, `time-wait`). Separators (`_`, `-`, spaces) are ignored; nil for anything else.
    public init?(spelling: some StringProtocol) {
        var key = spelling.uppercased().filter { !"_- \t".contains($0) }
        if key.hasPrefix("TCP"), key.count > 3 { key.removeFirst(3) }
        let aliases: [String: TCPState] = ["SYNRECEIVED": .synReceived, "CLOSED": .close, "ESTABLISHED": .established]
        if let state = aliases[key] { self = state; return }
        guard let state = TCPState.allCases.first(where: { state in
            [state.name, state.ssName].contains { $0.filter { !"_-".contains($0) } == key }
        }) else { return nil }
        self = state
    }
}

/// Which table a socket came from: /proc/net/tcp (`.ipv4`) or /proc/net/tcp6 (`.ipv6`).
/// A dual-stack IPv6 socket talking to an IPv4 peer is `.ipv6` with `::ffff:a.b.c.d` addresses.
public enum IPFamily: String, Sendable, Codable {
    case ipv4, ipv6
}
