"""nodelay_client.py: an interactive client that sends each keystroke at once (TCP_NODELAY).

It connects, and for every line you type it sends each character with its own send(), as a
terminal program sends keystrokes, then reads the echo of the whole line and prints it. End of
input (Ctrl-D) closes the connection.

It sets TCP_NODELAY, which turns Nagle's algorithm off: every one-byte send() leaves at once in a
segment of its own, without waiting for the ACK of the one before. That is what an interactive
program (ssh, a game) wants: each keystroke reaches the other side at once.

The fixed one for lab 10 (`tcplab check nagle --variant nodelay --client`).

Run:  TCPLAB_PORT=7777 python3 nodelay_client.py
"""
import os
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    sock = socket.create_connection((HOST, PORT))
    # Nagle's algorithm off: small segments leave at once, several may be unacknowledged.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print("connected")
    for line in sys.stdin:
        keys = line.rstrip("\n").encode()
        for key in keys:
            sock.send(bytes([key]))  # one keystroke, one send()
        echo = b""
        while len(echo) < len(keys):  # TCP is a stream: the echo may come in pieces
            piece = sock.recv(1024)
            if not piece:
                print("other side has closed")
                return
            echo += piece
        print("echo:", echo.decode())
    sock.close()
    print("closed")


if __name__ == "__main__":
    main()
