/// Lines recorded from /proc/net/tcp and /proc/net/tcp6 on Linux 6.18 (x86_64, little-endian),
/// inside `unshare -n` with python3 clients and servers on loopback. Every state except CLOSE
/// was produced for real:
/// - SYN_SENT: connect to 10.9.9.2 / 2001:db8::2, routed into `lo` where it is dropped.
/// - SYN_RECV: a raw-socket SYN from 10.9.9.2 to a listener on 10.9.9.1; the SYN-ACK is dropped.
/// - FIN_WAIT1 / CLOSING / LAST_ACK: the closing side had unsent data stuck behind a peer's zero
///   window (SO_RCVBUF 2048, never read), so its FIN could not leave.
/// CLOSE never appears in /proc/net/tcp (a bound, unconnected socket is in no hash table the
/// file walks), so that line is built by changing only the `st` field of a recorded line.
/// Trailing spaces are kept as the kernel pads them.
enum ProcNetTCPFixtures {
    static let header4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     "
    static let header6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"

    // MARK: IPv4 (/proc/net/tcp)

    /// 127.0.0.1:7777 LISTEN, listen(5), two connections waiting in the accept queue (rx 2).
    static let listen = "   0: 0100007F:1E61 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 18694 3 00000000ed079d97 100 0 0 10 0                     "
    /// 127.0.0.1:7803 LISTEN owned by uid 65534 (nobody).
    static let listenNobody = "   0: 0100007F:1E7B 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65534        0 20821 1 000000001e1ed62f 100 0 0 10 0                     "
    /// 10.9.9.1:7783 <- 10.9.9.2:40000 SYN_RECV request socket: SYN-ACK timer (tr 1), inode 0.
    static let synReceived = "   2: 0109090A:1E67 0209090A:9C40 03 00000000:00000000 01:00000021 00000000     0        0 0 0 00000000ebd8ff23                                      "
    /// 10.9.9.1:43978 -> 10.9.9.2:7781 SYN_SENT: the SYN counts as 1 byte in tx_queue, retransmit timer.
    static let synSent = "   6: 0109090A:ABCA 0209090A:1E65 02 00000001:00000000 01:00000021 00000000     0        0 18706 2 000000003439d867 100 0 0 10 -1                    "
    /// 127.0.0.1:43072 -> :7777 ESTABLISHED, idle, no timer.
    static let established = "  11: 0100007F:A840 0100007F:1E61 01 00000000:00000000 00:00000000 00000000     0        0 18695 1 00000000c77bef0a 20 0 0 11 -1                     "
    /// 127.0.0.1:43088 -> :7777 ESTABLISHED with SO_KEEPALIVE, TCP_KEEPIDLE 75: keepalive timer 74.33 s.
    static let establishedKeepalive = "  12: 0100007F:A850 0100007F:1E61 01 00000000:00000000 02:00001D09 00000000     0        0 18696 3 00000000d763c2e9 20 0 0 10 -1                     "
    /// 127.0.0.1:7777 <- :43072 ESTABLISHED with 100 unread bytes (rx 0x64).
    static let establishedUnread = "  16: 0100007F:1E61 0100007F:A840 01 00000000:00000064 00:00000000 00000000     0        0 18698 1 0000000030e0fce4 20 4 30 10 -1                    "
    /// 127.0.0.1:37414 -> :7790 ESTABLISHED, 2174976 bytes unsent to a zero window: probe timer (tr 4).
    static let establishedZeroWindow = "  17: 0100007F:9226 0100007F:1E6E 01 00213000:00000000 04:00000006 00000000     0        0 18715 2 00000000b4e7c6d6 20 0 0 12 -1                     "
    /// 127.0.0.1:36128 -> :7791 FIN_WAIT1: closed with data + FIN (the +1) still queued; orphan, inode 0.
    static let finWait1 = "  21: 0100007F:8D20 0100007F:1E6F 04 00213001:00000000 04:00000006 00000000     0        0 0 2 000000003e2eaa85 20 0 0 12 -1                         "
    /// 127.0.0.1:7792 <- :35216 FIN_WAIT2 after shutdown(SHUT_WR), 2048 unread bytes, still open.
    static let finWait2 = "   4: 0100007F:1E70 0100007F:8990 05 00000000:00000800 00:00000000 00000000     0        0 18722 1 00000000402d4368 20 4 0 11 -1                     "
    /// 127.0.0.1:43112 -> :7777 orphaned FIN_WAIT2 kept as a timewait socket: state 05 with a
    /// timewait timer (tr 3), inode 0, and only twelve fields.
    static let finWait2Timewait = "  14: 0100007F:A868 0100007F:1E61 05 00000000:00000000 03:0000172E 00000000     0        0 0 3 0000000033d539ca                                      "
    /// 127.0.0.1:41260 -> :7801 TIME_WAIT after a full close: 59.44 s left, inode 0.
    static let timeWait = "   1: 0100007F:A12C 0100007F:1E79 06 00000000:00000000 03:00001738 00000000     0        0 0 3 000000007b70e9ce                                      "
    /// SYNTHESIZED: `established` with `st` changed from 01 to 07 (CLOSE is never listed).
    static let close = "  11: 0100007F:A840 0100007F:1E61 07 00000000:00000000 00:00000000 00000000     0        0 18695 1 00000000c77bef0a 20 0 0 11 -1                     "
    /// 127.0.0.1:43102 -> :7777 CLOSE_WAIT: the peer's FIN counts as one unread "byte" (rx 1).
    static let closeWait = "  13: 0100007F:A85E 0100007F:1E61 08 00000000:00000001 00:00000000 00000000     0        0 18697 2 0000000002966279 20 4 0 10 -1                     "
    /// 127.0.0.1:35216 -> :7792 LAST_ACK: closed after the peer's FIN, data + FIN stuck; orphan.
    static let lastAck = "   7: 0100007F:8990 0100007F:1E70 09 00213001:00000001 04:00000001 00000000     0        0 0 2 000000009cd7a994 20 4 0 12 -1                         "
    /// 127.0.0.1:32978 -> :7793 CLOSING: closed, then got the peer's FIN before its own FIN left.
    static let closing = "   5: 0100007F:80D2 0100007F:1E71 0B 00213001:00000001 04:0000000C 00000000     0        0 0 2 000000000fbb1e05 20 0 0 12 -1                         "

    // MARK: IPv6 (/proc/net/tcp6)

    /// [fe80::1]:7780 LISTEN (bound with scope id 1, `lo`; /proc does not show the scope).
    static let listenLinkLocal6 = "   0: 000080FE000000000000000001000000:1E64 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18705 1 000000007d0e0f6c 100 0 0 10 0"
    /// [::1]:7778 LISTEN.
    static let listenLoopback6 = "   1: 00000000000000000000000001000000:1E62 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18699 1 0000000069fcd6d3 100 0 0 10 0"
    /// [::]:7779 LISTEN, dual stack (v6only 0).
    static let listenAny6 = "   2: 00000000000000000000000000000000:1E63 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18702 1 00000000b76bf8ff 100 0 0 10 0"
    /// [::1]:55332 -> [::1]:7778 ESTABLISHED.
    static let established6 = "   3: 00000000000000000000000001000000:D824 00000000000000000000000001000000:1E62 01 00000000:00000000 00:00000000 00000000     0        0 18700 2 000000009fd1716c 20 0 0 10 -1"
    /// [fe80::1]:37748 -> [2001:db8::2]:7782 SYN_SENT.
    static let synSent6 = "   4: 000080FE000000000000000001000000:9374 B80D0120000000000000000002000000:1E66 02 00000001:00000000 01:00000021 00000000     0        0 18707 2 000000006996e30b 100 0 0 10 -1"
    /// [::ffff:127.0.0.1]:7779 <- [::ffff:127.0.0.1]:48988: an IPv4 client on the dual-stack listener.
    static let establishedMapped6 = "   6: 0000000000000000FFFF00000100007F:1E63 0000000000000000FFFF00000100007F:BF5C 01 00000000:00000000 00:00000000 00000000     0        0 18704 1 0000000013000c5f 20 0 0 10 -1"
    /// [::1]:52816 -> [::1]:7802 TIME_WAIT.
    static let timeWait6 = "   0: 00000000000000000000000001000000:CE50 00000000000000000000000001000000:1E7A 06 00000000:00000000 03:0000173D 00000000     0        0 0 3 000000000b1d366d"

    /// Every recorded IPv4 data line (the synthesized CLOSE line included).
    static let allV4 = [listen, listenNobody, synReceived, synSent, established, establishedKeepalive,
                        establishedUnread, establishedZeroWindow, finWait1, finWait2, finWait2Timewait,
                        timeWait, close, closeWait, lastAck, closing]
    /// Every recorded IPv6 data line.
    static let allV6 = [listenLinkLocal6, listenLoopback6, listenAny6, established6, synSent6,
                        establishedMapped6, timeWait6]
}
