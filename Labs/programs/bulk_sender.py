"""bulk_sender.py: a client that writes a lot (lab 13, flow-control).

It asks for a small send buffer (SO_SNDBUF 4096) and writes 64 KiB in 4 KiB send() calls,
printing how long each one took. While the receiver reads, send() returns at once: it only
copies into the kernel's send buffer. When the receiver stops reading, its window goes to 0,
the send buffer fills up, and send() blocks until the window opens again: flow control, seen
from the sending program.

Run:  TCPLAB_PORT=7777 python3 bulk_sender.py
"""
import os
import socket
import sys
import time

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
TOTAL = 64 * 1024
CHUNK = 4096
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    try:
        sock.connect((HOST, PORT))
    except OSError as error:
        print(error)
        sys.exit(1)
    print("connected; send buffer", sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))
    sent = 0
    while sent < TOTAL:
        started = time.monotonic()
        sent += sock.send(b"x" * CHUNK)  # may send less than asked: count what it took
        took = (time.monotonic() - started) * 1000
        print(f"send() returned, {sent} bytes so far, after {took:.1f} ms" + ("  <- blocked: the window was closed" if took > 100 else ""))
    sock.close()
    print("sent", sent, "bytes and closed")


if __name__ == "__main__":
    main()
