import Glibc

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
    /// The device the socket is bound to (`sk_bound_dev_if`, sock_diag's `idiag_if`): set by
    /// SO_BINDTODEVICE, by binding a link-local IPv6 address with its scope id, and for a
    /// request socket (SYN_RECV) the device its SYN came in on. ss prints it after the local
    /// address, `[fe80::1]%v0:6001`. Nil when unbound, and always from /proc, which does not show it.
    public var device: BoundDevice?
    /// sock_diag's INET_DIAG_SKV6ONLY (`IPV6_V6ONLY`), which the kernel sends for an IPv6 socket
    /// in LISTEN or CLOSE only; nil when it did not say (other states, IPv4, /proc). ss prints a
    /// wildcard IPv6 address as `*` (the socket takes IPv4 too) unless this is true.
    public var v6Only: Bool?

    /// Builds an entry; the parser uses this, tests and renderers may too.
    public init(
        family: IPFamily, localAddress: IPAddress, localPort: UInt16,
        remoteAddress: IPAddress, remotePort: UInt16, state: TCPState,
        sendQueue: UInt32, receiveQueue: UInt32, timer: SocketTimer, uid: UInt32, inode: UInt64,
        device: BoundDevice? = nil, v6Only: Bool? = nil
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
        self.device = device
        self.v6Only = v6Only
    }

    /// The local endpoint as ss prints it: `127.0.0.1:7777`, `[::1]:7777`, `*:7777` (an IPv6
    /// wildcard that takes IPv4 too), `[fe80::1]%v0:6001` (bound to a device).
    public var local: String {
        SocketEntry.ssHost(localAddress, v6Only: v6Only) + (device.map { "%" + $0.name } ?? "") + ":" + SocketEntry.ssPort(localPort)
    }

    /// The peer endpoint as ss prints it, with `*` for port 0: `0.0.0.0:*`, `*:*`, `[::]:*`.
    public var remote: String { SocketEntry.ssHost(remoteAddress, v6Only: v6Only) + ":" + SocketEntry.ssPort(remotePort) }

    /// The address part of an endpoint as iproute2's `inet_addr_print()` (misc/ss.c) writes it:
    /// an IPv4 address dotted (`0.0.0.0` for the wildcard); the IPv6 wildcard `::` as `*` unless
    /// the socket is IPV6_V6ONLY (ss treats "not reported" as not v6only, as it must from /proc),
    /// then `[::]`; any other IPv6 address in brackets, an IPv4-mapped one with its dotted tail
    /// (`[::ffff:127.0.0.1]`, RFC 5952 §5).
    static func ssHost(_ address: IPAddress, v6Only: Bool? = nil) -> String {
        guard case .v6(let bytes) = address else { return address.description }
        if v6Only != true, bytes.allSatisfy({ $0 == 0 }) { return "*" }
        if isIPv4Mapped(bytes) {
            return "[::ffff:\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])]"
        }
        return "[\(address)]"
    }

    /// True for an IPv4-mapped IPv6 address, `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2).
    static func isIPv4Mapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
    }

    /// The port part of an endpoint: the number, or `*` for 0.
    static func ssPort(_ port: UInt16) -> String { port == 0 ? "*" : String(port) }
}

/// A network device a socket is bound to, as sock_diag reports it (`idiag_if`) and ss prints it.
public struct BoundDevice: Sendable, Hashable, Codable {
    /// The interface index (`ip link` shows it before the name).
    public var index: UInt32
    /// The interface's name in the namespace that read the table (`if_indextoname(3)`), or
    /// `if<N>` when it has none there (the device is gone, or lives in another namespace), as
    /// iproute2's `ll_index_to_name()` falls back.
    public var name: String

    /// A device with a known name.
    public init(index: UInt32, name: String) {
        self.index = index
        self.name = name
    }

    /// The device with index `index`, named as `if_indextoname(3)` names it now in this
    /// process's network namespace, or `if<N>`.
    public static func named(index: UInt32) -> BoundDevice {
        var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(index, &buffer) != nil else { return BoundDevice(index: index, name: "if\(index)") }
        return BoundDevice(index: index, name: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
