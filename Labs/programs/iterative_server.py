"""iterative_server.py: the corrected server of blog post 000, which serves one client at a time.

It answers every message of a client (upper case) until that client closes, and only then
calls accept() again. A second client is not refused: the kernel completes its handshake and
ACKs its data while it waits in the accept queue (Recv-Q > 0 in `ss -tn`), but nobody answers
it until the first client leaves.

This is the broken one when several clients come at once (lab 04 / lab 05).

Run:  TCPLAB_PORT=7777 python3 iterative_server.py
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
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2])
        while True:  # stuck here while this client stays: nobody calls accept()
            data = conn.recv(1024)
            if not data:
                print("client closed:", peer[:2])
                break
            print("received", data, "from", peer[:2])
            conn.send(data.upper())
        conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
