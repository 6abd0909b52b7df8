#!/usr/bin/env python3
"""Seed corpora for the fuzzers from the project's recorded captures and /proc text fixtures.

Fuzz/corpus/decode/: one file per captured frame of captures/*.pcap and captures/fidelity/*.pcap, prefixed with the byte that
selects its link type in DecodeFuzzer.swift. Fuzz/corpus/procnet/: recorded /proc/net/tcp lines.
Fuzz/corpus/pcap/: every captures/*.pcap whole, plus broken-pipe.pcap rewritten big-endian, with
nanosecond timestamps, and as pcapng (SHB + IDB + one EPB per frame), so the fuzzer starts from
each file format libpcap reads. Fuzz/corpus/sockdiag/: netlink datagrams built around the
inet_diag_msg payloads recorded in Tests/TCPLabKitTests/Sockets/SockDiagTests.swift (one socket,
two sockets + NLMSG_DONE, NLMSG_DONE alone, an NLMSG_ERROR with -EPERM, and the two NLMSG_ERRORs
that once trapped the parser).
Usage: make-corpus.py OUTDIR
"""
import glob, os, re, struct, sys

out = sys.argv[1]
LINK_INDEX = {1: 0, 113: 1, 276: 2, 101: 3, 228: 4, 229: 5, 0: 6, 108: 7, 9: 8, 50: 9, 51: 10, 104: 11}
os.makedirs(f"{out}/decode", exist_ok=True)
os.makedirs(f"{out}/procnet", exist_ok=True)
os.makedirs(f"{out}/pcap", exist_ok=True)
os.makedirs(f"{out}/sockdiag", exist_ok=True)
count = 0
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in sorted(glob.glob(f"{root}/captures/*.pcap") + glob.glob(f"{root}/captures/fidelity/*.pcap")):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype not in LINK_INDEX:
        continue
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        frame = data[offset + 16:offset + 16 + caplen]
        with open(f"{out}/decode/{os.path.basename(path)}-{count}", "wb") as f:
            f.write(bytes([LINK_INDEX[linktype]]) + frame)
        count += 1
        offset += 16 + caplen
lines = 0
for path in glob.glob(f"{root}/Tests/TCPLabKitTests/Sockets/*.swift"):
    for match in re.finditer(r'"(\s*\d+: [0-9A-F]{8,32}:[0-9A-F]{4} [^"]*)"', open(path).read()):
        with open(f"{out}/procnet/line-{lines}", "w") as f:
            f.write(match.group(1) + "\n")
        lines += 1

def records(data, endian):
    offset = 24
    while offset + 16 <= len(data):
        sec, usec, caplen, length = struct.unpack(endian + "IIII", data[offset:offset + 16])
        yield sec, usec, data[offset + 16:offset + 16 + caplen], length
        offset += 16 + caplen

files = 0
for path in sorted(glob.glob(f"{root}/captures/*.pcap")):
    data = open(path, "rb").read()
    with open(f"{out}/pcap/{os.path.basename(path)}", "wb") as f:
        f.write(data)
    files += 1
data = open(f"{root}/captures/broken-pipe.pcap", "rb").read()
major, minor, zone, sigfigs, snaplen, linktype = struct.unpack("<HHiIII", data[4:24])
frames = list(records(data, "<"))
with open(f"{out}/pcap/broken-pipe-big-endian.pcap", "wb") as f:
    f.write(struct.pack(">IHHiIII", 0xa1b2c3d4, major, minor, zone, sigfigs, snaplen, linktype))
    for sec, usec, frame, length in frames:
        f.write(struct.pack(">IIII", sec, usec, len(frame), length) + frame)
with open(f"{out}/pcap/broken-pipe-nanoseconds.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b23c4d, major, minor, zone, sigfigs, snaplen, linktype))
    for sec, usec, frame, length in frames:
        f.write(struct.pack("<IIII", sec, usec * 1000, len(frame), length) + frame)
def block(kind, body):
    body += bytes(-len(body) % 4)
    return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
with open(f"{out}/pcap/broken-pipe.pcapng", "wb") as f:
    f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))  # section header
    f.write(block(1, struct.pack("<HHI", linktype, 0, snaplen)))             # interface description
    for sec, usec, frame, length in frames:                                   # enhanced packets, µs
        stamp = sec * 1_000_000 + usec
        f.write(block(6, struct.pack("<IIIII", 0, stamp >> 32, stamp & 0xFFFFFFFF, len(frame), length) + frame))
files += 3

test = open(f"{root}/Tests/TCPLabKitTests/Sockets/SockDiagTests.swift").read()
payloads = [bytes.fromhex(m) for m in re.findall(r'static let \w+ = "([0-9a-f]{144})"', test)]
def message(kind, payload, sequence=1):
    # nlmsghdr: length, type (20 SOCK_DIAG_BY_FAMILY, 3 NLMSG_DONE, 2 NLMSG_ERROR), flags (2 NLM_F_MULTI), seq, pid
    return struct.pack("<IHHII", 16 + len(payload), kind, 2, sequence, 0) + payload + bytes(-len(payload) % 4)
done = message(3, struct.pack("<i", 0))
datagrams = {
    "one-socket": message(20, payloads[0]),
    "two-sockets-done": b"".join(message(20, p) for p in payloads) + done,
    "done": done,
    "error-eperm": message(2, struct.pack("<i", -1) + message(20, bytes(56))[:16]),
    # Inputs that once trapped the parser (see SockDiagReplyTests): an NLMSG_ERROR with no room
    # for its error code, and one whose code is INT32_MIN (negating it overflowed).
    "error-no-code": message(2, b""),
    "error-int32-min": message(2, struct.pack("<i", -2**31)),
}
for name, datagram in datagrams.items():
    with open(f"{out}/sockdiag/{name}", "wb") as f:
        f.write(datagram)
print(f"{count} frames, {lines} /proc lines, {files} capture files, {len(datagrams)} netlink datagrams ({len(payloads)} recorded sockets)")
