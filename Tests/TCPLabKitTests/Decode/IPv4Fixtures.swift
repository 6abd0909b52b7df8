// Recorded bytes, not hand-made packets: `tcpdump -i lo -w` inside `unshare -n` (an empty network
// namespace, so nothing else is on the wire) while a Python client and server on 127.0.0.1:7777
// did: handshake, client sends "haha" (PSH), server replies "HAHA", server closes (FIN), client
// sends "hehe" to the closed socket (kernel answers RST), then a connect to closed port 7778
// (kernel answers RST-ACK). Loopback captures as LINKTYPE_ETHERNET with all-zero MACs.
// Dumped per header field by a small script; the comments are what tcpdump printed.

/// IPv4 frames over Ethernet (loopback) from one recorded connection.
enum IPv4Fixtures {
    /// Client SYN: `Flags [S], seq 1104698723, win 65495, options [mss 65495,sackOK,TS val 1320722789 ecr 0,nop,wscale 10], length 0`
    static let syn: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x3c,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 60
        0x39, 0xc4, 0x40, 0x00,  // IPv4: identification 0x39c4, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x02, 0xf6,  // IPv4: TTL 64, protocol 6, header checksum 0x02f6
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x80, 0x56, 0x1e, 0x61,  // TCP: source port 32854, destination port 7777
        0x41, 0xd8, 0x5d, 0x63,  // TCP: sequence number 1104698723
        0x00, 0x00, 0x00, 0x00,  // TCP: acknowledgment number 0
        0xa0, 0x02,  // TCP: data offset 10 (40 bytes), flags 0x002 (SYN)
        0xff, 0xd7,  // TCP: window 65495
        0xfe, 0x30, 0x00, 0x00,  // TCP: checksum 0xfe30, urgent pointer 0
        0x02, 0x04, 0xff, 0xd7,  // TCP option: kind 2, length 4: mss 65495
        0x04, 0x02,  // TCP option: kind 4, length 2: sackOK
        0x08, 0x0a, 0x4e, 0xb8, 0xa1, 0x65, 0x00, 0x00, 0x00, 0x00,  // TCP option: kind 8, length 10: TS val 1320722789 ecr 0
        0x01,  // TCP option: nop
        0x03, 0x03, 0x0a,  // TCP option: kind 3, length 3: wscale 10
    ]

    /// Server SYN-ACK: `Flags [S.], seq 449087667, ack 1104698724, win 65483, options [mss 65495,sackOK,TS val 1797274769 ecr 1320722789,nop,wscale 10]`
    static let synAck: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x3c,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 60
        0x00, 0x00, 0x40, 0x00,  // IPv4: identification 0x0000, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x3c, 0xba,  // IPv4: TTL 64, protocol 6, header checksum 0x3cba
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x1e, 0x61, 0x80, 0x56,  // TCP: source port 7777, destination port 32854
        0x1a, 0xc4, 0x88, 0xb3,  // TCP: sequence number 449087667
        0x41, 0xd8, 0x5d, 0x64,  // TCP: acknowledgment number 1104698724
        0xa0, 0x12,  // TCP: data offset 10 (40 bytes), flags 0x012 (SYN+ACK)
        0xff, 0xcb,  // TCP: window 65483
        0xfe, 0x30, 0x00, 0x00,  // TCP: checksum 0xfe30, urgent pointer 0
        0x02, 0x04, 0xff, 0xd7,  // TCP option: kind 2, length 4: mss 65495
        0x04, 0x02,  // TCP option: kind 4, length 2: sackOK
        0x08, 0x0a, 0x6b, 0x20, 0x3c, 0x91, 0x4e, 0xb8, 0xa1, 0x65,  // TCP option: kind 8, length 10: TS val 1797274769 ecr 1320722789
        0x01,  // TCP option: nop
        0x03, 0x03, 0x0a,  // TCP option: kind 3, length 3: wscale 10
    ]

    /// Client's final handshake ACK: `Flags [.], ack 1, win 64, options [nop,nop,TS val 1320722790 ecr 1797274769], length 0`
    static let ack: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x34,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 52
        0x39, 0xc5, 0x40, 0x00,  // IPv4: identification 0x39c5, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x02, 0xfd,  // IPv4: TTL 64, protocol 6, header checksum 0x02fd
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x80, 0x56, 0x1e, 0x61,  // TCP: source port 32854, destination port 7777
        0x41, 0xd8, 0x5d, 0x64,  // TCP: sequence number 1104698724
        0x1a, 0xc4, 0x88, 0xb4,  // TCP: acknowledgment number 449087668
        0x80, 0x10,  // TCP: data offset 8 (32 bytes), flags 0x010 (ACK)
        0x00, 0x40,  // TCP: window 64
        0xfe, 0x28, 0x00, 0x00,  // TCP: checksum 0xfe28, urgent pointer 0
        0x01,  // TCP option: nop
        0x01,  // TCP option: nop
        0x08, 0x0a, 0x4e, 0xb8, 0xa1, 0x66, 0x6b, 0x20, 0x3c, 0x91,  // TCP option: kind 8, length 10: TS val 1320722790 ecr 1797274769
    ]

    /// Client data: `Flags [P.], seq 1:5, ack 1, win 64, options [nop,nop,TS val 1320722990 ecr 1797274769], length 4` carrying "haha"
    static let dataHaha: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x38,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 56
        0x39, 0xc6, 0x40, 0x00,  // IPv4: identification 0x39c6, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x02, 0xf8,  // IPv4: TTL 64, protocol 6, header checksum 0x02f8
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x80, 0x56, 0x1e, 0x61,  // TCP: source port 32854, destination port 7777
        0x41, 0xd8, 0x5d, 0x64,  // TCP: sequence number 1104698724
        0x1a, 0xc4, 0x88, 0xb4,  // TCP: acknowledgment number 449087668
        0x80, 0x18,  // TCP: data offset 8 (32 bytes), flags 0x018 (PSH+ACK)
        0x00, 0x40,  // TCP: window 64
        0xfe, 0x2c, 0x00, 0x00,  // TCP: checksum 0xfe2c, urgent pointer 0
        0x01,  // TCP option: nop
        0x01,  // TCP option: nop
        0x08, 0x0a, 0x4e, 0xb8, 0xa2, 0x2e, 0x6b, 0x20, 0x3c, 0x91,  // TCP option: kind 8, length 10: TS val 1320722990 ecr 1797274769
        0x68, 0x61, 0x68, 0x61,  // TCP payload (4 bytes): "haha"
    ]

    /// Server reply: `Flags [P.], seq 1:5, ack 5, win 64, ...` carrying "HAHA"
    static let dataHAHA: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x38,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 56
        0x8c, 0x00, 0x40, 0x00,  // IPv4: identification 0x8c00, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0xb0, 0xbd,  // IPv4: TTL 64, protocol 6, header checksum 0xb0bd
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x1e, 0x61, 0x80, 0x56,  // TCP: source port 7777, destination port 32854
        0x1a, 0xc4, 0x88, 0xb4,  // TCP: sequence number 449087668
        0x41, 0xd8, 0x5d, 0x68,  // TCP: acknowledgment number 1104698728
        0x80, 0x18,  // TCP: data offset 8 (32 bytes), flags 0x018 (PSH+ACK)
        0x00, 0x40,  // TCP: window 64
        0xfe, 0x2c, 0x00, 0x00,  // TCP: checksum 0xfe2c, urgent pointer 0
        0x01,  // TCP option: nop
        0x01,  // TCP option: nop
        0x08, 0x0a, 0x6b, 0x20, 0x3e, 0x21, 0x4e, 0xb8, 0xa2, 0x2e,  // TCP option: kind 8, length 10: TS val 1797275169 ecr 1320722990
        0x48, 0x41, 0x48, 0x41,  // TCP payload (4 bytes): "HAHA"
    ]

    /// Server close: `Flags [F.], seq 5, ack 5, win 64, options [nop,nop,TS val 1797275370 ecr 1320723190], length 0`
    static let fin: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x34,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 52
        0x8c, 0x01, 0x40, 0x00,  // IPv4: identification 0x8c01, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0xb0, 0xc0,  // IPv4: TTL 64, protocol 6, header checksum 0xb0c0
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x1e, 0x61, 0x80, 0x56,  // TCP: source port 7777, destination port 32854
        0x1a, 0xc4, 0x88, 0xb8,  // TCP: sequence number 449087672
        0x41, 0xd8, 0x5d, 0x68,  // TCP: acknowledgment number 1104698728
        0x80, 0x11,  // TCP: data offset 8 (32 bytes), flags 0x011 (FIN+ACK)
        0x00, 0x40,  // TCP: window 64
        0xfe, 0x28, 0x00, 0x00,  // TCP: checksum 0xfe28, urgent pointer 0
        0x01,  // TCP option: nop
        0x01,  // TCP option: nop
        0x08, 0x0a, 0x6b, 0x20, 0x3e, 0xea, 0x4e, 0xb8, 0xa2, 0xf6,  // TCP option: kind 8, length 10: TS val 1797275370 ecr 1320723190
    ]

    /// Kernel's answer to "hehe" sent to the closed server socket: `Flags [R], seq 449087673, win 0, length 0`
    static let rst: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x28,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 40
        0x00, 0x00, 0x40, 0x00,  // IPv4: identification 0x0000, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x3c, 0xce,  // IPv4: TTL 64, protocol 6, header checksum 0x3cce
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x1e, 0x61, 0x80, 0x56,  // TCP: source port 7777, destination port 32854
        0x1a, 0xc4, 0x88, 0xb9,  // TCP: sequence number 449087673
        0x00, 0x00, 0x00, 0x00,  // TCP: acknowledgment number 0
        0x50, 0x04,  // TCP: data offset 5 (20 bytes), flags 0x004 (RST)
        0x00, 0x00,  // TCP: window 0
        0x6f, 0xa9, 0x00, 0x00,  // TCP: checksum 0x6fa9, urgent pointer 0
    ]

    /// Kernel's answer to a SYN for closed port 7778: `127.0.0.1.7778 > 127.0.0.1.33072: Flags [R.], seq 0, ack 3907690382, win 0, length 0`
    static let rstAck: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x28,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 40
        0x00, 0x00, 0x40, 0x00,  // IPv4: identification 0x0000, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x3c, 0xce,  // IPv4: TTL 64, protocol 6, header checksum 0x3cce
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x1e, 0x62, 0x81, 0x30,  // TCP: source port 7778, destination port 33072
        0x00, 0x00, 0x00, 0x00,  // TCP: sequence number 0
        0xe8, 0xea, 0x9f, 0x8e,  // TCP: acknowledgment number 3907690382
        0x50, 0x14,  // TCP: data offset 5 (20 bytes), flags 0x014 (RST+ACK)
        0x00, 0x00,  // TCP: window 0
        0x89, 0xc2, 0x00, 0x00,  // TCP: checksum 0x89c2, urgent pointer 0
    ]

}
