/// One row of /proc/net/tcp or /proc/net/tcp6: a TCP socket as the kernel reports it.
///
/// Besides full sockets, the kernel lists request sockets (SYN_RECV, inode 0) and timewait
/// sockets. A timewait socket shows its `tw_substate`: TIME_WAIT after a full close, but
/// FIN_WAIT2 (with a `timewait` timer) for an orphaned FIN_WAIT2 socket that the kernel moved
/// into a timewait socket to save memory.
public struct SocketEntry: Sendable, Hashable, Codable {
    /// Which file the row came from.
    public var family: IPFamily
    /// The local address (`0.0.0.0` / `::` for a wildcard listener).
    public var localAddress: IPAddress
    /// The local port.
    public var localPort: UInt16
    /// The peer address (`0.0.0.0` / `::` for a listener).
    public var remoteAddress: IPAddress
    /// The peer port (0 for a listener).
    public var remotePort: UInt16
    /// The connection state from the `st` column.
    public var state: TCPState
    /// `tx_queue`: `write_seq - snd_una`, bytes sent or queued but not yet acknowledged. A SYN
    /// or FIN not yet acknowledged counts as one byte (SYN_SENT shows 1). Always 0 for LISTEN:
    /// /proc does not show the listen backlog (ss gets it from netlink as Send-Q).
    public var sendQueue: UInt32
    /// `rx_queue`: bytes received but not yet read (`rcv_nxt - copied_seq`). For LISTEN it is
    /// `sk_ack_backlog`, the number of connections waiting in the accept queue.
    public var receiveQueue: UInt32
    /// The pending kernel timer.
    public var timer: SocketTimer
    /// The owner's uid (`sock_i_uid`); for a request socket, the listener's.
    public var uid: UInt32
    /// The socket inode, matched by `socket:[INODE]` links in /proc/PID/fd. 0 when no file
    /// holds the socket: TIME_WAIT and SYN_RECV rows, orphans after `close()` (FIN_WAIT1,
    /// LAST_ACK, CLOSING) and connections still in a listener's accept queue.
    public var inode: UInt64

    /// Builds an entry; the parser uses this, tests and renderers may too.
    public init(
        family: IPFamily, localAddress: IPAddress, localPort: UInt16,
        remoteAddress: IPAddress, remotePort: UInt16, state: TCPState,
        sendQueue: UInt32, receiveQueue: UInt32, timer: SocketTimer, uid: UInt32, inode: UInt64
    ) {
        self.family = family
        self.localAddress = localAddress
        self.localPort = localPort
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.state = state
        self.sendQueue = sendQueue
        self.receiveQueue = receiveQueue
        self.timer = timer
        self.uid = uid
        self.inode = inode
    }

    /// The local endpoint as ss prints it: `127.0.0.1:7777`, `[::1]:7777`.
    public var local: String { SocketEntry.ssEndpoint(localAddress, port: localPort) }

    /// The peer endpoint as ss prints it, with `*` for port 0: `0.0.0.0:*`, `[::]:*`.
    public var remote: String { SocketEntry.ssEndpoint(remoteAddress, port: remotePort) }

    /// Like `IPAddress.endpoint(port:)`, but port 0 prints as `*` and an IPv4-mapped IPv6
    /// address keeps its dotted tail (`[::ffff:127.0.0.1]:7779`), as ss and RFC 5952 §5 do.
    static func ssEndpoint(_ address: IPAddress, port: UInt16) -> String {
        ssHost(address) + ":" + ssPort(port)
    }

    /// The address part of `ssEndpoint`: `127.0.0.1`, `[::1]`, `[::ffff:127.0.0.1]`.
    static func ssHost(_ address: IPAddress) -> String {
        guard case .v6(let bytes) = address else { return address.description }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return "[::ffff:\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])]"
        }
        return "[\(address)]"
    }

    /// The port part of `ssEndpoint`: the number, or `*` for 0.
    static func ssPort(_ port: UInt16) -> String { port == 0 ? "*" : String(port) }
}
