"""one_client_server.py: an iterative server without its outer loop, which serves one client.

It accepts the first client, answers every message of it (upper case) until that client
closes, and then ends: accept() is called once, outside any loop. A second client that came
meanwhile was not refused: the kernel completed its handshake and ACKed its data in the
accept queue. When the program ends, its listening socket is closed with that connection
still in the queue, and the kernel resets it (an RST to the waiting client): nobody answers it.

This is the broken one for lab 04 (`tcplab check iterative --server`).

Run:  TCPLAB_PORT=7777 python3 one_client_server.py
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
    conn, peer = listener.accept()  # the bug: once, not in a `while True:` loop
    print("connect from", peer[:2])
    while True:
        data = conn.recv(1024)
        if not data:
            print("client closed:", peer[:2])
            break
        print("received", data, "from", peer[:2])
        conn.send(data.upper())
    conn.close()
    listener.close()  # a client still in the accept queue is reset here
    print("done: the listener is closed")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
