#!/usr/bin/env python3
"""Seed corpora for the fuzzers from the project's recorded captures and /proc text fixtures.

Fuzz/corpus/decode/: one file per captured frame of captures/*.pcap, prefixed with the byte that
selects its link type in DecodeFuzzer.swift. Fuzz/corpus/procnet/: recorded /proc/net/tcp lines.
Usage: make-corpus.py OUTDIR
"""
import glob, os, re, struct, sys

out = sys.argv[1]
LINK_INDEX = {1: 0, 113: 1, 276: 2, 101: 3, 228: 4, 229: 5, 0: 6, 108: 7}
os.makedirs(f"{out}/decode", exist_ok=True)
os.makedirs(f"{out}/procnet", exist_ok=True)
count = 0
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in sorted(glob.glob(f"{root}/captures/*.pcap")):
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
print(f"{count} frames, {lines} /proc lines")
