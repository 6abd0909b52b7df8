// Recorded in an `unshare -n` namespace like IPv4Fixtures: `tcpdump -i any` (SLL2, the default on
// current libpcap), `tcpdump -i any -y LINUX_SLL` (SLL v1), and `tcpdump -i lo` for a UDP datagram
// to a closed port and the ICMP port-unreachable the kernel sent back.

/// Frames on the Linux cooked link layers, and frames that are not TCP.
enum OtherFixtures {
    /// LINKTYPE_LINUX_SLL2 (276): `lo In IP 127.0.0.1.32854 > 127.0.0.1.7777: Flags [S], seq 1104698723, win 65495, ...`
    static let sll2Syn: [UInt8] = [
        0x08, 0x00,  // SLL2: protocol 0x0800
        0x00, 0x00,  // SLL2: reserved
        0x00, 0x00, 0x00, 0x01,  // SLL2: interface index 1
        0x03, 0x04,  // SLL2: ARPHRD type 772 (loopback)
        0x00,  // SLL2: packet type 0
        0x06,  // SLL2: link-layer address length 6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // SLL2: link-layer address (8 bytes, padded)
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

    /// LINKTYPE_LINUX_SLL (113): `IP 127.0.0.1.52740 > 127.0.0.1.7777: Flags [S], seq 2492150938, win 65495, ...`
    static let sllSyn: [UInt8] = [
        0x00, 0x00,  // SLL: packet type 0
        0x03, 0x04,  // SLL: ARPHRD type 772 (loopback)
        0x00, 0x06,  // SLL: link-layer address length 6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // SLL: link-layer address (8 bytes, padded)
        0x08, 0x00,  // SLL: protocol 0x0800
        0x45, 0x00, 0x00, 0x3c,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 60
        0xa3, 0xfb, 0x40, 0x00,  // IPv4: identification 0xa3fb, flags/fragment offset 0x4000 (DF)
        0x40, 0x06, 0x98, 0xbe,  // IPv4: TTL 64, protocol 6, header checksum 0x98be
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0xce, 0x04, 0x1e, 0x61,  // TCP: source port 52740, destination port 7777
        0x94, 0x8b, 0x34, 0x9a,  // TCP: sequence number 2492150938
        0x00, 0x00, 0x00, 0x00,  // TCP: acknowledgment number 0
        0xa0, 0x02,  // TCP: data offset 10 (40 bytes), flags 0x002 (SYN)
        0xff, 0xd7,  // TCP: window 65495
        0xfe, 0x30, 0x00, 0x00,  // TCP: checksum 0xfe30, urgent pointer 0
        0x02, 0x04, 0xff, 0xd7,  // TCP option: kind 2, length 4: mss 65495
        0x04, 0x02,  // TCP option: kind 4, length 2: sackOK
        0x08, 0x0a, 0x2e, 0xe6, 0x38, 0x42, 0x00, 0x00, 0x00, 0x00,  // TCP option: kind 8, length 10: TS val 786839618 ecr 0
        0x01,  // TCP option: nop
        0x03, 0x03, 0x0a,  // TCP option: kind 3, length 3: wscale 10
    ]

    /// Ethernet: `IP 127.0.0.1.34736 > 127.0.0.1.9999: UDP, length 4`
    static let udp: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0x00, 0x00, 0x20,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 32
        0x8c, 0xd2, 0x40, 0x00,  // IPv4: identification 0x8cd2, flags/fragment offset 0x4000 (DF)
        0x40, 0x11, 0xaf, 0xf8,  // IPv4: TTL 64, protocol 17, header checksum 0xaff8
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x87, 0xb0, 0x27, 0x0f, 0x00, 0x0c, 0xfe, 0x1f,  // UDP: source port 34736, destination port 9999, length 12, checksum 0xfe1f
        0x75, 0x64, 0x70, 0x21,  // UDP payload: "udp!"
    ]

    /// Ethernet: `IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9999 unreachable, length 40`
    static let icmp: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: destination MAC
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Ethernet: source MAC
        0x08, 0x00,  // Ethernet: ethertype 0x0800
        0x45, 0xc0, 0x00, 0x3c,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0xc0, total length 60
        0x87, 0x96, 0x00, 0x00,  // IPv4: identification 0x8796, flags/fragment offset 0x0000
        0x40, 0x01, 0xf4, 0x68,  // IPv4: TTL 64, protocol 1, header checksum 0xf468
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x03, 0x03, 0x6a, 0x8b, 0x00, 0x00, 0x00, 0x00,  // ICMP: type 3, code 3, checksum, unused
        // ICMP body: the offending datagram's IPv4 + UDP headers and data
        0x45, 0x00, 0x00, 0x20,  // IPv4: version 4, IHL 5 (20 bytes), TOS 0x00, total length 32
        0x8c, 0xd2, 0x40, 0x00,  // IPv4: identification 0x8cd2, flags/fragment offset 0x4000 (DF)
        0x40, 0x11, 0xaf, 0xf8,  // IPv4: TTL 64, protocol 17, header checksum 0xaff8
        0x7f, 0x00, 0x00, 0x01,  // IPv4: source 127.0.0.1
        0x7f, 0x00, 0x00, 0x01,  // IPv4: destination 127.0.0.1
        0x87, 0xb0, 0x27, 0x0f, 0x00, 0x0c, 0xfe, 0x1f,  // UDP: source port 34736, destination port 9999, length 12, checksum 0xfe1f
        0x75, 0x64, 0x70, 0x21,  // UDP payload: "udp!"
    ]

}
