#!/usr/bin/env python3
"""Adds `windowBytes` to the segment rows of run reports recorded before rows had it, exactly as
ConversationTracker computes it now (RFC 7323: raw window << the sender's wscale once both SYNs
carried one; a SYN's own window unscaled; omitted while a connection's SYNs are not both seen).

The insertion is textual, so the rest of each file stays byte for byte as JSONEncoder wrote it.
Usage: scripts/add-window-bytes.py FILE.json...   (files that already have windowBytes are skipped)
"""
import json, re, sys

def window_bytes(rows):
    syns = {}  # (connection, direction) -> shift or None
    out = []
    for row in rows:
        key = (row["connection"], row["direction"])
        flags = row["flags"]
        if "S" in flags:
            shift = None
            for option in row.get("options", []):
                m = re.fullmatch(r"wscale (\d+)", option)
                if m: shift = min(int(m.group(1)), 14)
            syns.setdefault(key, shift)
            out.append(row["window"])
            continue
        mine = syns.get(key, "missing")
        other = [v for (c, d), v in syns.items() if c == row["connection"] and d != row["direction"]]
        if mine == "missing" or not other:
            out.append(None)
            continue
        theirs = other[0]
        shift = mine if (mine is not None and theirs is not None) else 0
        out.append(row["window"] << shift)
    return out

for path in sys.argv[1:]:
    text = open(path).read()
    if '"windowBytes"' in text:
        continue
    report = json.loads(text)
    values = window_bytes(report.get("segments", []))
    lines = text.split("\n")
    index = 0
    result = []
    for line in lines:
        m = re.fullmatch(r'(\s*)"window" : (\d+)', line)
        if m:
            value = values[index]
            index += 1
            if value is not None:
                result.append(line + ",")
                result.append(f'{m.group(1)}"windowBytes" : {value}')
                continue
        result.append(line)
    assert index == len(values), f"{path}: {index} window lines for {len(values)} segments"
    open(path, "w").write("\n".join(result))
    print(f"{path}: {len(values)} rows")
