#!/usr/bin/env python3
"""Writes the fidelity corpus: small captures, one per kind of frame tcplab must read as tcpdump does.

Run from anywhere: python3 captures/fidelity/make.py
Every file is written from the bytes below (stdlib struct only), so the corpus is reproducible;
Tests/TCPLabKitTests/Capture/TcpdumpFidelityTests.swift checks tcplab's reading of each against
`tcpdump -n -S -v -tt -r`, and FidelityGoldenTests against NAME.expected.txt.
Addresses are documentation ranges (RFC 5737, RFC 3849).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z

SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip4(text):
    return bytes(int(part) for part in text.split("."))


def ip6(text):
    head, _, tail = text.partition("::")
    groups = [g for g in head.split(":") if g], [g for g in tail.split(":") if g]
    words = groups[0] + ["0"] * (8 - len(groups[0]) - len(groups[1])) + groups[1]
    return b"".join(struct.pack("!H", int(w, 16)) for w in words)


def tcp(sport, dport, seq, ack, flags, options=b"", payload=b"", win=64240):
    """A TCP header (options padded with NOPs to a multiple of 4) and its payload; checksum 0."""
    options += b"\x01" * (-len(options) % 4)
    offset = (20 + len(options)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, offset << 4, flags, win, 0, 0) + options + payload


def ipv4(segment, src="192.0.2.1", dst="198.51.100.2", total=None):
    total = total if total is not None else 20 + len(segment)
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0x4000, 64, 6, 0, ip4(src), ip4(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + segment


def ipv6(segment, src="2001:db8::1", dst="2001:db8::2", payload_length=None):
    length = payload_length if payload_length is not None else len(segment)
    return struct.pack("!IHBB16s16s", 0x60000000, length, 6, 64, ip6(src), ip6(dst)) + segment


MACS = bytes.fromhex("020000000002 020000000001")


def ether(ethertype, body):
    return MACS + struct.pack("!H", ethertype) + body


def vlan(tpid, vid, inner_type):
    return struct.pack("!HH", tpid, vid) + struct.pack("!H", inner_type)


def mss(value):
    return struct.pack("!BBH", 2, 4, value)


def ts(value, echo):
    return struct.pack("!BBII", 8, 10, value, echo)


SACK_OK = b"\x04\x02"


def wscale(shift):
    return struct.pack("!BBB", 3, 3, shift)


def sack(*blocks):
    return struct.pack("!BB", 5, 2 + 8 * len(blocks)) + b"".join(struct.pack("!II", l, r) for l, r in blocks)


SYN_OPTIONS = mss(1460) + SACK_OK + ts(1000, 0) + b"\x01" + wscale(7)
SYN_SEGMENT = tcp(40000, 80, 1000, 0, SYN, SYN_OPTIONS)


def write_pcap(name, linktype, frames, snaplen=65535):
    """frames: (bytes, wire length or None). Microsecond pcap, little-endian."""
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for index, (frame, wire) in enumerate(frames):
            captured = frame[:snaplen]
            out.write(struct.pack("<IIII", T0, 100 * (index + 1), len(captured), wire or len(frame)))
            out.write(captured)


def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)


def write_pcapng(name, interfaces, packets):
    """interfaces: (linktype, tsresol or None); packets: (interface, time in its units, bytes)."""
    data = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for linktype, resolution in interfaces:
        options = b""
        if resolution is not None:
            options = struct.pack("<HHB3x", 9, 1, resolution) + struct.pack("<HH", 0, 0)
        data += block(1, struct.pack("<HHI", linktype, 0, 65535) + options)
    for interface, stamp, frame in packets:
        data += block(6, struct.pack("<IIIII", interface, stamp >> 32, stamp & 0xFFFFFFFF, len(frame), len(frame)) + frame)
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(data)


def main():
    # Snapshot length cuts: inside the TS option (tcpdump: TS [|tcp]), right after the mss
    # option (before the next option's length: [|tcp] alone), an IPv6 SYN cut inside its options.
    v4syn = ether(0x0800, ipv4(SYN_SEGMENT))
    v4syn2 = ether(0x0800, ipv4(tcp(40001, 80, 1000, 0, SYN, SYN_OPTIONS)))
    v6syn = ether(0x86DD, ipv6(tcp(40000, 80, 1000, 0, SYN, SYN_OPTIONS)))
    write_pcap("snaplen-cut-options.pcap", 1, [(v4syn[:66], len(v4syn)), (v4syn2[:58], len(v4syn2)), (v6syn[:86], len(v6syn))])

    # Snapshot length cuts inside the fixed 20-byte header, after the ports: tcpdump prints the
    # ports and [|tcp] alone. A whole SYN first, then the SYN-ACK cut after 14 bytes (flags
    # there), the ACK after 4 (the ports alone), an IPv4 data segment after 19, and an IPv6
    # segment after 10 (what -s 64 keeps of IPv6 over Ethernet).
    syn_ack = ether(0x0800, ipv4(tcp(80, 40000, 5000, 1001, SYN | ACK, mss(1460) + SACK_OK + ts(5000, 1000) + b"\x01" + wscale(7)), "198.51.100.2", "192.0.2.1"))
    ack = ether(0x0800, ipv4(tcp(40000, 80, 1001, 5001, ACK, b"\x01\x01" + ts(1001, 5000))))
    push = ether(0x0800, ipv4(tcp(40000, 80, 1001, 5001, PSH | ACK, b"\x01\x01" + ts(1002, 5000), b"GET / HTTP/1.1\r\n")))
    v6data = ether(0x86DD, ipv6(tcp(40000, 80, 1001, 5001, PSH | ACK, b"\x01\x01" + ts(1002, 5000), b"hello")))
    write_pcap("snaplen-cut-header.pcap", 1, [
        (v4syn, None), (syn_ack[:34 + 14], len(syn_ack)), (ack[:34 + 4], len(ack)),
        (push[:34 + 19], len(push)), (v6data[:54 + 10], len(v6data))])

    # Snapshot length cuts inside a SACK option: tcpdump prints the whole blocks it has, then
    # [|tcp] (`sack 3 {1501:2001} [|tcp]`; `sack 3  [|tcp]` before the first block ends).
    sacked = ether(0x0800, ipv4(tcp(80, 40000, 5001, 1001, ACK, b"\x01\x01" + sack((1501, 2001), (2501, 3001), (3501, 4001))),
                                "198.51.100.2", "192.0.2.1"))
    options_start = 34 + 20 + 4
    write_pcap("snaplen-cut-sack.pcap", 1, [(sacked[:options_start + cut], len(sacked)) for cut in (3, 12, 19, 24)])

    # Ethernet encapsulations: stacked tags of every TPID, MPLS stacks (IPv4 by guess, IPv6
    # explicit null), a PPPoE session, 802.3 with LLC/SNAP.
    # Each frame its own SYN (source port 40001, 40002 …), so none is another's retransmission.
    syn4 = lambda port: ipv4(tcp(port, 80, 1000, 0, SYN, SYN_OPTIONS))
    syn6 = lambda port: ipv6(tcp(port, 80, 1000, 0, SYN, SYN_OPTIONS))
    inner, inner6 = syn4(40000), syn6(40000)
    mpls = lambda label, bottom: struct.pack("!I", label << 12 | bottom << 8 | 64)
    frames = [
        MACS + struct.pack("!HHHH", 0x8100, 10, 0x8100, 20) + struct.pack("!H", 0x0800) + syn4(40001),
        MACS + struct.pack("!HHHH", 0x88A8, 100, 0x8100, 200) + struct.pack("!H", 0x0800) + syn4(40002),
        MACS + struct.pack("!HHHH", 0x9100, 100, 0x8100, 200) + struct.pack("!H", 0x86DD) + syn6(40003),
        ether(0x8847, mpls(100, 0) + mpls(200, 1) + syn4(40004)),
        ether(0x8847, mpls(300, 0) + mpls(2, 1) + syn6(40005)),
        ether(0x8864, struct.pack("!BBHH", 0x11, 0, 0x1234, 2 + len(inner)) + struct.pack("!H", 0x0021) + syn4(40006)),
        MACS + struct.pack("!H", 8 + len(inner)) + bytes([0xAA, 0xAA, 0x03, 0, 0, 0]) + struct.pack("!H", 0x0800) + syn4(40007),
    ]
    write_pcap("ethernet-encapsulations.pcap", 1, [(frame, None) for frame in frames])

    # Linux cooked captures with a VLAN tag the kernel kept (protocol 0x8100, then the tag).
    sll = struct.pack("!HHH8sH", 0, 1, 6, bytes(8), 0x8100) + struct.pack("!HH", 30, 0x0800) + inner
    write_pcap("sll-vlan.pcap", 113, [(sll, None)])
    sll2 = struct.pack("!HHIHBB8s", 0x8100, 0, 2, 1, 0, 6, bytes(8)) + struct.pack("!HH", 30, 0x0800) + inner
    write_pcap("sll2-vlan.pcap", 276, [(sll2, None)])

    # PPP: with ff 03 and a 2-byte protocol, without them and with a compressed 1-byte protocol
    # (IPv4 0x21); IPv6 (0x0057). PPP in HDLC-like framing (PPP_SERIAL) and Cisco HDLC.
    write_pcap("ppp.pcap", 9, [(b"\xff\x03\x00\x21" + inner, None), (b"\x21" + syn4(40001), None), (b"\x00\x57" + inner6, None)])
    write_pcap("ppp-serial.pcap", 50, [(b"\xff\x03\x00\x21" + inner, None), (b"\x0f\x00\x08\x00" + syn4(40001), None)])
    write_pcap("cisco-hdlc.pcap", 104, [(b"\x0f\x00\x08\x00" + inner, None), (b"\x8f\x00\x86\xdd" + inner6, None)])

    # IP lengths past the frame on the wire (not a snaplen cut): IPv4 total length 200 and an
    # IPv6 payload length 300 around 4 bytes of payload.
    data = tcp(40000, 80, 2000, 5001, PSH | ACK, ts(1100, 2000), b"abcd")
    v4 = ether(0x0800, ipv4(data, total=200))
    v6 = ether(0x86DD, ipv6(data, payload_length=300))
    write_pcap("ip-length-beyond-frame.pcap", 1, [(v4, None), (v6, None)])

    # Options tcpdump names: MPTCP (capable with a key on a SYN, v1 without on the SYN-ACK, DSS,
    # add-addr, join), TFO (cookie request, cookie), the experimental 254 form of TFO, AccECN's
    # ExID 0xacc0 on 254, an ExID on 253, MD5, TCP-AO, user timeout, two SACK blocks.
    mp_capable_key = struct.pack("!BBBBQ", 30, 12, 0x01, 0x81, 0x1122334455667788)
    mp_capable = struct.pack("!BBBB", 30, 4, 0x01, 0x01)
    mp_dss = struct.pack("!BBBBIIIH", 30, 18, 0x20, 0x05, 7000, 8000, 1, 100)
    mp_add = struct.pack("!BBBB4sQ", 30, 16, 0x30, 3, ip4("203.0.113.9"), 0xABCDEF)
    mp_join = struct.pack("!BBBBII", 30, 12, 0x11, 2, 0xDEADBEEF, 0x01020304)
    tfo_request = b"\x22\x02"
    tfo_cookie = b"\x22\x0a" + bytes.fromhex("0102030405060708")
    exp_tfo = b"\xfe\x0c\xf9\x89" + bytes.fromhex("a1a2a3a4a5a6a7a8")
    exp_accecn = b"\xfe\x0b\xac\xc0" + bytes.fromhex("00000100000200")
    exp_253 = b"\xfd\x06\x12\x34\x56\x78"
    md5 = struct.pack("!BB", 19, 18) + bytes(range(16))
    tcp_ao = struct.pack("!BBBB", 29, 8, 5, 6) + bytes.fromhex("c0ffee01")
    uto = struct.pack("!BBH", 28, 4, 0x0259)
    segments = [
        tcp(40000, 80, 1000, 0, SYN, mss(1460) + SACK_OK + mp_capable_key),
        tcp(80, 40000, 5000, 1001, SYN | ACK, mss(1460) + mp_capable, win=65535),
        tcp(40000, 80, 1001, 5001, ACK, mp_dss),
        tcp(40000, 80, 1001, 5001, ACK, mp_add),
        tcp(40001, 80, 3000, 0, SYN, mp_join),
        tcp(40002, 80, 9000, 0, SYN, mss(1460) + tfo_request),
        tcp(40003, 80, 9100, 0, SYN, mss(1460) + tfo_cookie, b"GET"),
        tcp(40004, 80, 9200, 0, SYN, mss(1460) + exp_tfo),
        tcp(40005, 80, 9300, 0, SYN, mss(1460) + exp_accecn),
        tcp(40006, 80, 9400, 0, SYN, exp_253),
        tcp(40007, 179, 9500, 0, SYN, md5),
        tcp(40008, 179, 9600, 0, SYN, tcp_ao),
        tcp(40009, 80, 9700, 0, SYN, uto + mss(1460)),
        tcp(80, 40000, 5001, 1001, ACK, b"\x01\x01" + sack((1501, 2001), (2501, 3001))),
    ]
    def framed(segment):
        from_server = struct.unpack("!H", segment[:2])[0] in (80, 179)
        return ether(0x0800, ipv4(segment, *(("198.51.100.2", "192.0.2.1") if from_server else ())))
    write_pcap("options-named.pcap", 1, [(framed(segment), None) for segment in segments])

    # Timestamps and SACK blocks on every segment of a connection: SACK relative to the ISN
    # like the ack (tcpdump without -S, tcplab without --absolute).
    client, server = 3_000_000_000, 700_000_000
    conversation = [
        ("c", tcp(40000, 80, client, 0, SYN, SYN_OPTIONS)),
        ("s", tcp(80, 40000, server, client + 1, SYN | ACK, mss(1460) + SACK_OK + ts(5000, 1000) + b"\x01" + wscale(7), win=65160)),
        ("c", tcp(40000, 80, client + 1, server + 1, ACK, b"\x01\x01" + ts(1001, 5000))),
        ("c", tcp(40000, 80, client + 1, server + 1, PSH | ACK, b"\x01\x01" + ts(1002, 5000), b"a" * 100)),
        ("c", tcp(40000, 80, client + 201, server + 1, PSH | ACK, b"\x01\x01" + ts(1003, 5000), b"c" * 100)),
        ("s", tcp(80, 40000, server + 1, client + 101, ACK, b"\x01\x01" + ts(5001, 1002) + b"\x01\x01" + sack((client + 201, client + 301)), win=65160)),
        ("c", tcp(40000, 80, client + 101, server + 1, PSH | ACK, b"\x01\x01" + ts(1004, 5001), b"b" * 100)),
        ("s", tcp(80, 40000, server + 1, client + 301, ACK, b"\x01\x01" + ts(5002, 1004), win=65160)),
    ]
    frames = []
    for side, segment in conversation:
        src, dst = ("192.0.2.1", "198.51.100.2") if side == "c" else ("198.51.100.2", "192.0.2.1")
        frames.append((ether(0x0800, ipv4(segment, src, dst)), None))
    write_pcap("sack-timestamps.pcap", 1, frames)

    # pcapng: one interface in nanoseconds (if_tsresol 9), read through tcpdump too; and two
    # interfaces of different link types (Ethernet and Linux cooked v1), which libpcap refuses.
    write_pcapng("pcapng-nanoseconds.pcapng", [(1, 9)], [(0, T0 * 10**9 + 123_456_789, ether(0x0800, inner))])
    sll_plain = struct.pack("!HHH8sH", 0, 1, 6, bytes(8), 0x0800) + ipv4(tcp(80, 40000, 5000, 1001, SYN | ACK, mss(1460)), "198.51.100.2", "192.0.2.1")
    write_pcapng("pcapng-two-link-types.pcapng", [(1, None), (113, None)],
                 [(0, T0 * 10**6 + 100, ether(0x0800, inner)), (1, T0 * 10**6 + 200, sll_plain)])


if __name__ == "__main__":
    main()
