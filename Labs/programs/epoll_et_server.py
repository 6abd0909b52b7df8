"""epoll_et_server.py: the epoll server, edge-triggered (EPOLLET), done right.

Edge-triggered, poll() reports a socket once per ARRIVAL of data ("something new came"), not
while data is waiting. So on each event the server must read until the socket is empty, which
a non-blocking socket signals with BlockingIOError (EAGAIN). Whatever it left behind would get
no new event until the client sends more. Compare epoll_et_once_server.py.

This is a fixed one for lab 05 (--variant epoll-et).

Run:  TCPLAB_PORT=7777 python3 epoll_et_server.py
"""
import os
import select
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def drain(conn):
    """Reads until EAGAIN. Returns (bytes read, whether the client has closed)."""
    chunks = []
    while True:
        try:
            data = conn.recv(1024)
        except BlockingIOError:  # EAGAIN: empty for now, the next edge will tell us
            return b"".join(chunks), False
        except ConnectionResetError:
            return b"".join(chunks), True
        if not data:  # the client's FIN
            return b"".join(chunks), True
        chunks.append(data)


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(511)
    print(f"listening on {HOST}:{PORT}")
    epoll = select.epoll()
    epoll.register(listener.fileno(), select.EPOLLIN)  # the listener stays level-triggered
    connections = {}
    while True:
        for fd, events in epoll.poll():
            if fd == listener.fileno():
                conn, peer = listener.accept()
                conn.setblocking(False)  # so that draining ends in EAGAIN instead of blocking
                print("connect from", peer[:2], "fd", conn.fileno())
                connections[conn.fileno()] = conn
                epoll.register(conn.fileno(), select.EPOLLIN | select.EPOLLET)
                continue
            conn = connections[fd]
            data, closed = drain(conn)  # the fix: read EVERYTHING this edge brought
            if data:
                print(f"received {len(data)} bytes on fd {fd}")
                # A big reply may not fit the send buffer of a non-blocking socket; a real
                # server would keep the rest and wait for EPOLLOUT. Small replies fit.
                conn.sendall(data.upper())
            if closed:
                print("client closed, fd", fd)
                epoll.unregister(fd)
                del connections[fd]
                conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
