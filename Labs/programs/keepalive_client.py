"""keepalive_client.py: a client that notices when its server has vanished (lab 14, keepalive).

It turns on SO_KEEPALIVE with short timers (tcp(7)): TCP_KEEPIDLE 1 s of silence before the
first probe, TCP_KEEPINTVL 1 s between probes, TCP_KEEPCNT 3 unanswered probes before giving
up. Then it waits in recv() for the server to say something. If the server's host vanishes
(cable pulled, host crashed: no FIN, no RST), the kernel's probes go unanswered, and after the
third one it resets the connection: recv() fails with ETIMEDOUT ([Errno 110]). Without
keepalive the same recv() would wait forever.

Run:  TCPLAB_PORT=7777 python3 keepalive_client.py
"""
import os
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    try:
        sock = socket.create_connection((HOST, PORT))
    except OSError as error:
        print(error)
        sys.exit(1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)   # seconds of silence before probing
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)  # seconds between probes
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)    # unanswered probes before giving up
    print("connected; keepalive on (idle 1 s, interval 1 s, 3 probes); waiting in recv()")
    try:
        data = sock.recv(1024)
    except OSError as error:  # ETIMEDOUT: the probes went unanswered
        print("recv() failed:", error)
        sock.close()
        sys.exit(1)
    print("recv() returned", data)
    sock.close()


if __name__ == "__main__":
    main()
