"""linger_zero_client.py: a client that "avoids TIME_WAIT" with SO_LINGER 0, in Python 3.

It connects, sends every line you type and prints the reply, like fixed_client.py. Before it
closes it sets SO_LINGER to {on, 0 seconds}, a trick often found to avoid TIME_WAIT: close()
then aborts the connection. The kernel sends an RST instead of a FIN, throws away whatever was
not yet sent or read, and forgets the connection at once: no FIN_WAIT2, no TIME_WAIT, and the
server's next recv() fails with ECONNRESET instead of reading an EOF.

This is the broken one for lab 02 (`tcplab check close-states --variant client-first --client`).

Run:  TCPLAB_PORT=7777 python3 linger_zero_client.py
"""
import os
import socket
import struct
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    sock = socket.create_connection((HOST, PORT))
    print("connected")
    for line in sys.stdin:
        data = line.strip()
        if not data:
            break
        sock.send(data.encode())
        reply = sock.recv(1024)
        if not reply:
            print("other side has closed")
            break
        print("response from server:", reply.decode())
    # struct linger { int l_onoff; int l_linger; }: on, 0 seconds. The bug: an abortive close.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # an RST, not a FIN
    print("closed (SO_LINGER 0)")


if __name__ == "__main__":
    main()
