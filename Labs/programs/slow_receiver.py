"""slow_receiver.py: a receiver that stops reading (lab 13, flow-control).

It asks for a small receive buffer (SO_RCVBUF 4096, before listen(): the window scale is chosen
at the handshake) and, after accept(), reads nothing for a while. The kernel stores what the
client sends in that buffer and advertises a window that shrinks as the buffer fills, down to
0 ([TCP ZeroWindow]). The sender's kernel must stop and probe. When this server reads again its
kernel sends a window update and the data flows again.

Run:  TCPLAB_PORT=7777 python3 slow_receiver.py          (TCPLAB_PAUSE=2: seconds without reading)
"""
import os
import socket
import sys
import time

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
PAUSE = float(os.environ.get("TCPLAB_PAUSE", "2"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Small, and before listen(): accepted sockets inherit it (the kernel doubles the value).
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2], "receive buffer", conn.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
        print(f"not reading for {PAUSE:g} s: watch the window go to 0")
        # allowed: not reading for a while is the lesson (the receive buffer fills up)
        time.sleep(PAUSE)
        total = 0
        while True:
            data = conn.recv(4096)
            if not data:
                break
            total += len(data)
        print(f"read {total} bytes, then the client's FIN")
        conn.close()
        print("closed the connection")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
