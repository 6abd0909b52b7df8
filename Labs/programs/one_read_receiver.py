"""one_read_receiver.py: slow_receiver.py with a classic bug: one recv() taken for the whole message.

Like slow_receiver.py it asks for a small receive buffer (SO_RCVBUF 4096 before listen()) and
does not read for 2 s after accept() (TCPLAB_PAUSE), so the window goes to 0 and the sender
blocks. Then it calls recv(65536) once, as if the sender's whole message would come back from
one call, and closes. But TCP is a byte stream: recv() returns what is in the receive buffer now,
a few KiB. The rest is still unread, or not even sent, when it closes, and closing with unread
data makes the kernel reset the connection (an RST, not a FIN): the sender's data is lost.

The broken one for lab 13 (`tcplab check flow-control --server`).

Run:  TCPLAB_PORT=7777 python3 one_read_receiver.py
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
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2])
        print(f"not reading for {PAUSE:g} s: watch the window go to 0")
        # allowed: not reading for a while is the lesson (the receive buffer fills up)
        time.sleep(PAUSE)
        data = conn.recv(65536)  # the bug: one recv() is not one message
        print(f"read {len(data)} bytes, and that is all it reads")
        conn.close()  # with bytes unread: an RST
        print("closed the connection")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
