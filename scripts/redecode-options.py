#!/usr/bin/env python3
"""Rewrites the `options` of every segment row of recorded run reports as `tcplab decode --json`
reads the report's own pcap now (for instance after decode began showing padding: `nop x2`).

Only the `options` values inside the `segments` array change, textually, in the layout the file
already has (JSONEncoder's pretty `"options" : [`, an indented `"options": [`, or compact), so the
rest of each file stays byte for byte. Rows are matched by position and must agree in time and
flags with the decoded ones, or the file is left alone with a message.
Usage (from the package root, after `swift build`):
  scripts/redecode-options.py captures/reference/*.json Tests/TCPLabKitTests/Check/Fixtures/*.json
A report without a pcap (the exercise fixtures, whose options trim.py empties) is skipped.
"""
import json, os, re, subprocess, sys

TCPLAB = os.environ.get("TCPLAB", ".build/debug/tcplab")


def decoded_rows(pcap):
    out = subprocess.run([TCPLAB, "decode", "--json", pcap], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def value_end(text, start):
    """Index just past the JSON array starting at text[start] == '['."""
    depth, i, in_string = 0, start, False
    while True:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def line_indent(text, at):
    start = text.rfind("\n", 0, at) + 1
    return text[start:at][: len(text[start:at]) - len(text[start:at].lstrip(" "))]


def render(options, separator, key_indent, unit):
    """The array in the file's layout: separator " : " is JSONEncoder's pretty printing (an empty
    array "[\n\n<indent>]"), ": " an indented layout of `unit` per level, ":" compact."""
    items = [json.dumps(o, ensure_ascii=False) for o in options]
    if separator == ":":
        return "[" + ",".join(items) + "]"
    if separator == " : ":
        if not items:
            return "[\n\n" + key_indent + "]"
        return "[\n" + ",\n".join(key_indent + "  " + i for i in items) + "\n" + key_indent + "]"
    if not items:
        return "[]"
    return "[\n" + ",\n".join(key_indent + unit + i for i in items) + "\n" + key_indent + "]"


def rewrite(path):
    text = open(path).read()
    report = json.loads(text)
    pcap = report.get("pcap")
    if not pcap:
        print(f"{path}: no pcap, skipped")
        return
    for candidate in (pcap, os.path.join(os.path.dirname(path), pcap)):
        if os.path.exists(candidate):
            pcap = candidate
            break
    else:
        print(f"{path}: {pcap} not found, skipped")
        return
    stored = report.get("segments", [])
    fresh = decoded_rows(pcap)
    if len(stored) != len(fresh) or any(a["time"] != b["time"] or a["flags"] != b["flags"] for a, b in zip(stored, fresh)):
        print(f"{path}: {len(stored)} stored rows, {len(fresh)} decoded, or they differ in time or flags: left alone")
        return
    segments_key = re.search(r'"segments" ?: ?\[', text)
    start = segments_key.end() - 1
    end = value_end(text, start)
    region = text[start:end]
    pretty_compact_key = re.compile(r'"options"( ?: ?)\[')
    # The indent unit of an indented (not JSONEncoder) layout, from an array with elements.
    unit = ""
    sample = re.search(r'\n( *)"options": \[\n( *)"', region)
    if sample:
        unit = sample.group(2)[len(sample.group(1)):]
    out, at, index = [], 0, 0
    for match in pretty_compact_key.finditer(region):
        value_start = match.end() - 1
        value_stop = value_end(region, value_start)
        key_indent = line_indent(region, match.start())
        out.append(region[at:value_start])
        out.append(render(fresh[index]["options"], match.group(1), key_indent, unit))
        at = value_stop
        index += 1
    out.append(region[at:])
    assert index == len(stored), f"{path}: {index} options for {len(stored)} rows"
    new_text = text[:start] + "".join(out) + text[end:]
    assert [s["options"] for s in json.loads(new_text)["segments"]] == [f["options"] for f in fresh], path
    if new_text != text:
        open(path, "w").write(new_text)
    print(f"{path}: {len(stored)} rows" + ("" if new_text != text else ", unchanged"))


for path in sys.argv[1:]:
    rewrite(path)
