"""epoll_server.py: one process, one thread, many clients, with epoll, level-triggered (blog post 000).

epoll keeps the list of watched sockets in the kernel (register once), and epoll.poll() returns
only the sockets that have events: nothing is scanned. Level-triggered is the default: as long
as a socket has unread bytes, every poll() reports it again, so reading once per event is fine.

This is a fixed one for lab 05 (--variant epoll).

Run:  TCPLAB_PORT=7777 python3 epoll_server.py
"""
import os
import select
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
    listener.listen(511)
    print(f"listening on {HOST}:{PORT}")
    epoll = select.epoll()
    epoll.register(listener.fileno(), select.EPOLLIN)  # level-triggered: no EPOLLET
    connections = {}  # fd -> socket
    while True:
        for fd, events in epoll.poll():  # only the descriptors that have events
            if fd == listener.fileno():
                conn, peer = listener.accept()
                print("connect from", peer[:2], "fd", conn.fileno())
                connections[conn.fileno()] = conn
                epoll.register(conn.fileno(), select.EPOLLIN)
                continue
            conn = connections[fd]
            try:
                data = conn.recv(1024)  # once: if more is left, the next poll() says so again
            except ConnectionResetError:
                data = b""
            if data:
                print("received", data, "on fd", fd)
                conn.send(data.upper())
            else:
                print("client closed, fd", fd)
                epoll.unregister(fd)
                del connections[fd]
                conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
