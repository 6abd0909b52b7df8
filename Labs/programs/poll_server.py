"""poll_server.py: the select server written with poll().

poll() takes a list of (descriptor, events) instead of bit sets, so it has no FD_SETSIZE
limit; like select() it still hands the whole list to the kernel on every call and we still
look at every entry it returns. Level-triggered, like select().

This is a fixed one for lab 05 (--variant poll).

Run:  TCPLAB_PORT=7777 python3 poll_server.py
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
    poller = select.poll()
    poller.register(listener, select.POLLIN)
    sockets = {listener.fileno(): listener}  # poll() speaks descriptors: map them back
    while True:
        for fd, events in poller.poll():  # blocks until something happens
            s = sockets[fd]
            if s is listener:
                conn, peer = listener.accept()
                print("connect from", peer[:2], "fd", conn.fileno())
                sockets[conn.fileno()] = conn
                poller.register(conn, select.POLLIN)
                continue
            try:
                data = s.recv(1024)  # POLLIN, POLLHUP or POLLERR: recv() says which
            except ConnectionResetError:  # the client reset the connection
                data = b""
            if data:
                print("received", data, "on fd", fd)
                s.send(data.upper())
            else:
                print("client closed, fd", fd)
                poller.unregister(fd)
                del sockets[fd]
                s.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
