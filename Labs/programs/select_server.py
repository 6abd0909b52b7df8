"""select_server.py: one process, one thread, many clients, with select() (blog post 000).

select() sleeps until at least one of the sockets we give it is readable, and returns those.
A readable listening socket means a connection is waiting: accept() will not block. A readable
connection means bytes (or the client's FIN) are there: recv() will not block. select() is
level-triggered: a socket with unread bytes is reported again on every call.

Its limit: select() works on a bit set of FD_SETSIZE (1024) descriptors; Python refuses a
descriptor >= 1024 with ValueError, where C would write past the set (lab 05, select-unchecked).

This is a fixed one for lab 05 (--variant select).

Run:  TCPLAB_PORT=7777 python3 select_server.py
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
    inputs = [listener]  # every socket we wait to read from
    while True:
        readable, _, _ = select.select(inputs, [], [])  # scans all of them, every time
        for s in readable:
            if s is listener:
                conn, peer = listener.accept()
                print("connect from", peer[:2], "fd", conn.fileno())
                inputs.append(conn)
                continue
            try:
                data = s.recv(1024)
            except ConnectionResetError:  # the client reset the connection
                data = b""
            if data:
                print("received", data, "on fd", s.fileno())
                # Small replies fit in the send buffer at once; a big one would need us to wait
                # for writability too (select's second list), as the post does with queues.
                s.send(data.upper())
            else:
                print("client closed, fd", s.fileno())
                inputs.remove(s)
                s.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
