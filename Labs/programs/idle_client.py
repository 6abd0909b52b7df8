"""idle_client.py: keepalive_client.py without keepalive (lab 14): the broken one.

It connects and waits in recv() for the server to say something. If the server's host
vanishes (no FIN, no RST ever comes), nothing tells this client: no probe is sent, and its
recv() waits forever on a connection that is dead. (SO_KEEPALIVE alone would not be enough
in a lab either: the kernel's default is tcp_keepalive_time, 2 hours, before the first probe.)

Run:  TCPLAB_PORT=7777 python3 idle_client.py
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
    print("connected; waiting in recv()")
    try:
        data = sock.recv(1024)  # with a vanished server: forever
    except OSError as error:
        print("recv() failed:", error)
        sys.exit(1)
    print("recv() returned", data)
    sock.close()


if __name__ == "__main__":
    main()
