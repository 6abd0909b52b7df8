#!/usr/bin/env python3
"""One bulk transfer over loopback to itself: BYTES from a client to a sink, then both close.
Usage: bulk-transfer.py BYTES"""
import socket, threading, sys
total = int(sys.argv[1])
listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
port = listener.getsockname()[1]
def sink():
    c, _ = listener.accept(); n = 0
    while True:
        d = c.recv(1 << 20)
        if not d: break
        n += len(d)
    c.close(); print("received", n, flush=True)
t = threading.Thread(target=sink); t.start()
s = socket.create_connection(("127.0.0.1", port)); chunk = b"x" * (1 << 20); sent = 0
while sent < total: s.sendall(chunk); sent += len(chunk)
s.close(); t.join()
