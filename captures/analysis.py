"""Traffic for captures/analysis-*.pcap: real segments that Wireshark-style analysis labels.

Run as root inside a private network namespace under tcpdump (see captures/README.md):
  keepalive    SO_KEEPALIVE with a 1 s idle time: Keep-Alive probes and their ACKs
  zero-window  a receiver with a 4 KiB buffer that does not read for 1.2 s: ZeroWindow, the
               sender's probes (Keep-Alive), a retransmission, then a Window Update
  backlog      listen(1) and four clients, never accepted: SYNs dropped, SYN retransmissions
The sleeps here only make traffic for a one-off recording; tcplab itself never sleeps to sync.
"""
import socket, sys, threading, time

mode = sys.argv[1]
PORT = 7777


def backlog():
    listener = socket.socket(); listener.bind(("127.0.0.1", PORT)); listener.listen(1)
    clients = []
    for _ in range(4):
        c = socket.socket(); c.setblocking(False)
        try:
            c.connect(("127.0.0.1", PORT))
        except BlockingIOError:
            pass
        clients.append(c)
    time.sleep(0.2)
    for c in clients:
        try:
            c.send(b"hi")
        except OSError:
            pass
    time.sleep(2.5)


def server(ready):
    listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mode == "zero-window":
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", PORT)); listener.listen(1); ready.set()
    c, _ = listener.accept()
    if mode == "zero-window":
        time.sleep(1.2)
        c.settimeout(1.0)
        try:
            while c.recv(65536):
                pass
        except socket.timeout:
            pass
    else:
        while c.recv(65536):
            pass
    c.close(); listener.close()


if mode == "backlog":
    backlog(); sys.exit(0)
ready = threading.Event()
t = threading.Thread(target=server, args=(ready,)); t.start(); ready.wait()
s = socket.socket()
if mode == "keepalive":
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
else:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
s.connect(("127.0.0.1", PORT))
if mode == "keepalive":
    s.send(b"hello"); time.sleep(2.5)
else:
    s.settimeout(3); s.sendall(b"x" * 60000)
s.close(); t.join()
