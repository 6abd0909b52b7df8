#!/usr/bin/env python3
"""Holds N established loopback connections (2N sockets, split over two processes so each
stays under the descriptor limit) and runs a command while they exist, then closes them all.
Usage: hold-connections.py N -- CMD ARGS...   (run inside a private network namespace)
"""
import os, resource, socket, subprocess, sys

n = int(sys.argv[1])
command = sys.argv[sys.argv.index("--") + 1:]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
if hard < n + 100:
    sys.exit(f"hold-connections: the descriptor limit {hard} is too low for {n} connections")
listener = socket.socket(); listener.bind(("127.0.0.1", 7777)); listener.listen(4096)
ready_r, ready_w = os.pipe()
done_r, done_w = os.pipe()
child = os.fork()
if child == 0:
    clients = [socket.create_connection(("127.0.0.1", 7777)) for _ in range(n)]
    os.write(ready_w, b"x")
    os.read(done_r, 1)  # until the parent is done measuring
    os._exit(0)
accepted = [listener.accept()[0] for _ in range(n)]
os.read(ready_r, 1)
status = subprocess.run(command).returncode
os.write(done_w, b"x")
os.waitpid(child, 0)
sys.exit(status)
