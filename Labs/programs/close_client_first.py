"""close_client_first.py: the timestamp echo server of blog post 003 (close-states, client-first).

It echoes every message with a timestamp until the client closes, and only then closes its own
side. When the client closes first, the client is the active closer and ends in TIME_WAIT; this
server reads b"" (EOF), its side in CLOSE_WAIT, calls close(), passes LAST_ACK and is gone.
Stop it with Ctrl-C while a client is connected and the roles swap (server-first): the exiting
process closes the connection, so the server's side goes to FIN_WAIT2 and the client's to
CLOSE_WAIT, as the post saw with netstat. (Post 003 forks per client; one client at a time is
enough for the close states.)

Run:  TCPLAB_PORT=7777 python3 close_client_first.py
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
        with conn:  # close() when the block ends, also on Ctrl-C
            while True:
                data = conn.recv(1024)
                if not data:  # the client's FIN: our side is in CLOSE_WAIT now
                    print("client closed first:", peer[:2])
                    break
                print("request from", peer[:2], "data", data)
                conn.send(f"[{time.ctime()}] ".encode() + data)
        print("closed our side (LAST_ACK, then gone)")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
