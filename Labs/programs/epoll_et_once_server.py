"""epoll_et_once_server.py: edge-triggered epoll that reads only once per event (the mistake).

Registered with EPOLLET, but it calls recv(1024) once per event, as a level-triggered server
may. A message longer than 1024 bytes arrives as one edge: the server reads the first 1024
bytes and the rest stays in the socket's receive queue (Recv-Q in `ss -tn`) with no new event
to fetch it. The client waits for an answer that never comes, until it sends something more.

This is the broken one (lab 05, --variant epoll-et-once). Try: a line of 3000 characters.

Run:  TCPLAB_PORT=7777 python3 epoll_et_once_server.py
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
    epoll.register(listener.fileno(), select.EPOLLIN)
    connections = {}
    while True:
        for fd, events in epoll.poll():
            if fd == listener.fileno():
                conn, peer = listener.accept()
                conn.setblocking(False)
                print("connect from", peer[:2], "fd", conn.fileno())
                connections[conn.fileno()] = conn
                epoll.register(conn.fileno(), select.EPOLLIN | select.EPOLLET)
                continue
            conn = connections[fd]
            try:
                data = conn.recv(1024)  # the bug: ONE read per edge
            except BlockingIOError:
                continue
            except ConnectionResetError:
                data = b""
            if data:
                print(f"received {len(data)} bytes on fd {fd} (and did not look for more)")
                conn.sendall(data.upper())
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
