"""no_reuse_server.py: the once-server without SO_REUSEADDR, which cannot be restarted at once.

It answers one read of each client (upper case) and closes the connection first, like
once_server.py, so its side of each connection waits in TIME_WAIT (60 s on Linux) after the
client closes too. It does not set SO_REUSEADDR before bind(): stop it (Ctrl-C) and start it
again within that minute, and bind() fails with EADDRINUSE ("[Errno 98] Address already in
use") although no program listens on the port: the TIME_WAIT entry holds it.

This is the broken one for lab 07 (`tcplab check reuseaddr --server`).

Run:  TCPLAB_PORT=7777 python3 no_reuse_server.py
"""
import os
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    # The bug: no setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) here, before bind().
    listener.bind((HOST, PORT))  # EADDRINUSE while a TIME_WAIT entry holds the port
    listener.listen(1)
    print(f"listening on {HOST}:{PORT}")
    try:
        while True:
            conn, peer = listener.accept()
            print("connect from", peer[:2])
            data = conn.recv(1024)
            if data:
                conn.send(data.upper())
            conn.close()  # we close first: our side ends in TIME_WAIT
            print("closed the connection to", peer[:2])
    except KeyboardInterrupt:
        print("stopped")
    finally:
        listener.close()


if __name__ == "__main__":
    main()
