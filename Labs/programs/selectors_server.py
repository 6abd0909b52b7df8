"""selectors_server.py: the multiplexing server on the selectors module (blog post 001).

selectors.DefaultSelector picks the best mechanism the system has: epoll on Linux
(print(selector) says which). Each socket is registered with a callback in `data`; the loop
calls whatever was registered for the socket that is ready: accept() for the listener,
answer() for a connection.

This is a fixed one for lab 05 (on Linux the same model as --variant epoll).

Run:  TCPLAB_PORT=7777 python3 selectors_server.py
"""
import os
import selectors
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)

selector = selectors.DefaultSelector()


def accept(listener):
    conn, peer = listener.accept()
    print("connect from", peer[:2], "fd", conn.fileno())
    selector.register(conn, selectors.EVENT_READ, answer)


def answer(conn):
    try:
        data = conn.recv(1024)
    except ConnectionResetError:
        data = b""
    if data:
        print("received", data, "on fd", conn.fileno())
        conn.send(data.upper())
    else:
        print("client closed, fd", conn.fileno())
        selector.unregister(conn)  # before close(): the selector still knows the fd
        conn.close()


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(511)
    print(f"listening on {HOST}:{PORT} with {type(selector).__name__}")
    selector.register(listener, selectors.EVENT_READ, accept)
    while True:
        for key, mask in selector.select():
            callback = key.data  # what we registered for this socket
            callback(key.fileobj)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
