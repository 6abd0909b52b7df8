#!/usr/bin/env python3
"""Writes a synthetic Ethernet pcap of N TCP segments for the decode benchmark.

Connections of 10 segments each (SYN, SYN-ACK, ACK, data with PSH both ways, ACKs, FIN, FIN, ACK;
every 7th connection ends in an RST instead), every 5th connection over IPv6, SYNs with mss,
sackOK, timestamps and wscale, data segments with timestamps and a 64-byte payload.
Usage: make-pcap.py OUT.pcap [SEGMENTS]   (default 1,000,000)
"""
import struct, sys

out, total = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000

def checksum_free_ipv4(src, dst, payload_len):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, 0, 0x4000, 64, 6, 0, src, dst)

def ipv6(src, dst, payload_len):
    return struct.pack("!IHBB16s16s", 0x60000000, payload_len, 6, 64, src, dst)

SYN_OPTS = struct.pack("!BBHBBBBIIBBBB", 2, 4, 65495, 4, 2, 8, 10, 12345, 0, 1, 3, 3, 7)
TS_OPTS = struct.pack("!BBBBII", 1, 1, 8, 10, 12345, 67890)
PAYLOAD = bytes(range(32, 96))

def tcp(sport, dport, seq, ack, flags, opts=b"", payload=b"", window=512):
    offset = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, offset << 4, flags, window, 0, 0) + opts + payload

def frame(v6, a, b, segment):
    if v6:
        return b"\0" * 12 + b"\x86\xdd" + ipv6(a, b, len(segment)) + segment
    return b"\0" * 12 + b"\x08\x00" + checksum_free_ipv4(a, b, len(segment)) + segment

F, S, R, P, A = 1, 2, 4, 8, 16
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    written, conn, t = 0, 0, 0
    while written < total:
        v6 = conn % 5 == 4
        c = (b"\0" * 15 + b"\x01") if v6 else bytes([127, 0, 0, 1])
        s = (b"\0" * 15 + b"\x01") if v6 else bytes([127, 0, 0, 2])
        cp, sp = 30000 + conn % 30000, 7777
        ci, si = (conn * 7919) & 0xffffffff, (conn * 104729) & 0xffffffff
        segs = [
            (c, s, tcp(cp, sp, ci, 0, S, SYN_OPTS, window=65495)),
            (s, c, tcp(sp, cp, si, ci + 1, S | A, SYN_OPTS, window=65483)),
            (c, s, tcp(cp, sp, ci + 1, si + 1, A, TS_OPTS)),
            (c, s, tcp(cp, sp, ci + 1, si + 1, P | A, TS_OPTS, PAYLOAD)),
            (s, c, tcp(sp, cp, si + 1, ci + 65, A, TS_OPTS)),
            (s, c, tcp(sp, cp, si + 1, ci + 65, P | A, TS_OPTS, PAYLOAD)),
            (c, s, tcp(cp, sp, ci + 65, si + 65, A, TS_OPTS)),
        ]
        if conn % 7 == 6:
            segs += [(s, c, tcp(sp, cp, si + 65, ci + 65, R | A)), (c, s, tcp(cp, sp, ci + 65, 0, R)),
                     (s, c, tcp(sp, cp, si + 65, 0, R))]
        else:
            segs += [(s, c, tcp(sp, cp, si + 65, ci + 65, F | A, TS_OPTS)), (c, s, tcp(cp, sp, ci + 65, si + 66, F | A, TS_OPTS)),
                     (s, c, tcp(sp, cp, si + 66, ci + 66, A, TS_OPTS))]
        for a, b, seg in segs:
            if written >= total:
                break
            data = frame(v6, a, b, seg)
            t += 7
            f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(data), len(data)))
            f.write(data)
            written += 1
        conn += 1
print(f"{out}: {written} segments in {conn} connections")
