"""close_server_first.py: a server that closes first (close-states, server-first).

It echoes a client's first message back with a timestamp (the echo of blog post 003) and then
closes the connection itself, while the client still holds its end. The server's side is the
active closer: FIN_WAIT1 -> FIN_WAIT2 (its FIN is ACKed) -> TIME_WAIT once the client closes
too. The client's side sits in CLOSE_WAIT until the client program calls close(), then LAST_ACK.

Watch with: tcplab states --port 7777     (or ss -tan)

Run:  TCPLAB_PORT=7777 python3 close_server_first.py
"""
import os
import socket
import sys
import time

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2])
        data = conn.recv(1024)
        if data:
            conn.send(f"[{time.ctime()}] ".encode() + data)
            print("echoed", data)
        conn.close()  # we close first: our side goes to FIN_WAIT2, then TIME_WAIT
        print("closed first; the client is in CLOSE_WAIT until it closes")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
