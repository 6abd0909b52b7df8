"""message_client.py: a client that sends one message and reads the answer (lab 12, loss).

It sends a few hundred bytes, reads the server's answer of the same length and closes. If a
segment is lost on the way, nothing changes for this program: the kernel keeps the bytes in
its send buffer until they are ACKed and sends them again (after the retransmission timeout,
or at once on duplicate ACKs); send() returned long before, and recv() only waits longer.
Retransmission is the kernel's work, not the program's.

Run:  TCPLAB_PORT=7777 python3 message_client.py
"""
import os
import socket
import sys
import time

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
MESSAGE = b"hello from message_client " * 20
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    try:
        sock = socket.create_connection((HOST, PORT))
    except OSError as error:
        print(error)
        sys.exit(1)
    started = time.monotonic()
    sock.sendall(MESSAGE)
    print(f"send() returned at once: {len(MESSAGE)} bytes handed to the kernel")
    answer = b""
    while len(answer) < len(MESSAGE):  # TCP is a stream: the answer may come in pieces
        piece = sock.recv(len(MESSAGE) - len(answer))
        if not piece:
            break
        answer += piece
    print(f"answer of {len(answer)} bytes after {(time.monotonic() - started) * 1000:.0f} ms")
    sock.close()
    print("closed")


if __name__ == "__main__":
    main()
