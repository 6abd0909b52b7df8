#!/usr/bin/env python3
"""Writes the constructed captures for how `tcplab decode` tracks connections and prints them.

python3 stdlib only: `python3 captures/fidelity/tracking.py` rewrites them next to this file.
Each frame is Ethernet + IPv4 + TCP with correct checksums; addresses are private ranges.

  port-reuse-after-rst.pcap  a connection reset by its client, the same 4-tuple opened again
                             with a new ISN (Wireshark: [TCP Port numbers reused], a new
                             stream), that SYN retransmitted with the same ISN (the same stream:
                             [TCP Retransmission]), then its handshake
  midstream-ack-first.pcap   a capture that starts with the client's pure ACK, then the server's
                             data: Wireshark numbers both sides from 1 (base = seq - 1, ack - 1)
  time-backwards.pcap        frame 2 is 1.5 s before frame 1, frame 3 0.25 s after frame 1
  odd-flags.pcap             SYN+FIN, the eight flags of byte 13 (FSRP.UEW), no flags, FIN+PSH+URG without
                             ACK, SYN+RST, and an RST carrying 58 bytes: one probe per port
  several-servers.pcap       one client talking to two servers at once (two connections whose
                             server is not the same)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x100


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip(text):
    return bytes(int(part) for part in text.split("."))


def frame(src, sport, dst, dport, seq, ack, flags, win=64240, payload=b"", options=b""):
    """One Ethernet frame: IPv4 (no options, DF) carrying one TCP segment."""
    options += b"\0" * (-len(options) % 4)
    offset = (20 + len(options)) // 4
    # Data offset (4 bits), 3 reserved bits, AE, then CWR..FIN.
    offset_flags = (offset << 12) | flags
    header = struct.pack("!HHIIHHHH", sport, dport, seq, ack, offset_flags, win, 0, 0) + options
    pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, 6, len(header) + len(payload))
    tcp_sum = checksum(pseudo + header + payload)
    header = header[:16] + struct.pack("!H", tcp_sum) + header[18:]
    total = 20 + len(header) + len(payload)
    ipv4 = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0x4000, 64, 6, 0, ip(src), ip(dst))
    ipv4 = ipv4[:10] + struct.pack("!H", checksum(ipv4)) + ipv4[12:]
    ethernet = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return ethernet + ipv4 + header + payload


MSS = b"\x02\x04\x05\xb4"  # mss 1460


def write(name, frames):
    """frames: (seconds, microseconds, bytes); classic pcap, microsecond stamps, Ethernet."""
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for seconds, micros, data in frames:
            out.write(struct.pack("<IIII", seconds, micros, len(data), len(data)))
            out.write(data)


T = 1_700_000_000
C, S, S2 = "10.0.0.1", "10.0.0.2", "10.0.0.3"


def port_reuse_after_rst():
    a, b = 1000, 5000  # first connection's ISNs
    c, d = 90000, 70000  # second connection's ISNs
    write("port-reuse-after-rst.pcap", [
        (T, 0, frame(C, 40000, S, 80, a, 0, SYN, options=MSS)),
        (T, 100, frame(S, 80, C, 40000, b, a + 1, SYN | ACK, options=MSS)),
        (T, 200, frame(C, 40000, S, 80, a + 1, b + 1, ACK)),
        (T, 300, frame(C, 40000, S, 80, a + 1, b + 1, PSH | ACK, payload=b"GET /\r\n")),
        (T, 400, frame(C, 40000, S, 80, a + 8, 0, RST, win=0)),
        (T + 1, 0, frame(C, 40000, S, 80, c, 0, SYN, options=MSS)),
        (T + 2, 0, frame(C, 40000, S, 80, c, 0, SYN, options=MSS)),
        (T + 2, 100, frame(S, 80, C, 40000, d, c + 1, SYN | ACK, options=MSS)),
        (T + 2, 200, frame(C, 40000, S, 80, c + 1, d + 1, ACK)),
    ])


def midstream_ack_first():
    x, y = 3_000_000_000, 123_456
    write("midstream-ack-first.pcap", [
        (T, 0, frame(C, 40000, S, 80, x, y, ACK)),
        (T, 100, frame(S, 80, C, 40000, y, x, PSH | ACK, payload=b"x" * 100)),
        (T, 200, frame(C, 40000, S, 80, x, y + 100, ACK)),
    ])


def time_backwards():
    write("time-backwards.pcap", [
        (T, 500_000, frame(C, 40000, S, 80, 1000, 0, SYN, options=MSS)),
        (T - 1, 0, frame(S, 80, C, 40000, 5000, 1001, SYN | ACK, options=MSS)),
        (T, 750_000, frame(C, 40000, S, 80, 1001, 5001, ACK)),
    ])


def odd_flags():
    # tcpdump 4.99 prints the eight of byte 13 (it leaves the AE bit out): FSRP.UEW.
    everything = FIN | SYN | RST | PSH | ACK | URG | ECE | CWR
    write("odd-flags.pcap", [
        (T, 0, frame(C, 40001, S, 81, 1000, 0, SYN | FIN)),
        (T, 100, frame(C, 40002, S, 82, 2000, 7, everything, payload=b"abcd")),
        (T, 200, frame(C, 40003, S, 83, 3000, 0, 0)),
        (T, 300, frame(C, 40004, S, 84, 4000, 0, FIN | PSH | URG)),
        (T, 400, frame(C, 40005, S, 85, 5000, 0, SYN | RST)),
        (T, 500, frame(S, 86, C, 40006, 6000, 9, RST | ACK, win=0, payload=b"connection closed by the firewall: policy 42 (see admin)\r\n")),
    ])


def several_servers():
    write("several-servers.pcap", [
        (T, 0, frame(C, 40000, S, 80, 1000, 0, SYN, options=MSS)),
        (T, 100, frame(C, 40001, S2, 443, 2000, 0, SYN, options=MSS)),
        (T, 200, frame(S, 80, C, 40000, 5000, 1001, SYN | ACK, options=MSS)),
        (T, 300, frame(S2, 443, C, 40001, 6000, 2001, SYN | ACK, options=MSS)),
        (T, 400, frame(C, 40000, S, 80, 1001, 5001, ACK)),
        (T, 500, frame(C, 40001, S2, 443, 2001, 6001, ACK)),
    ])


if __name__ == "__main__":
    port_reuse_after_rst()
    midstream_ack_first()
    time_backwards()
    odd_flags()
    several_servers()
