"""io_poll_server.py: I/O multiplexing (lab 11, --variant multiplexing).

The server asks poll() to wait until the socket is readable (POLLIN). poll() sleeps in the
kernel (state S, wchan `do_poll`/`poll_schedule_timeout`) like a blocking recv(), but it could
watch many sockets at once (lab 05). When it returns, recv() finds the data already there and
returns at once. select() works the same way.

Run:  TCPLAB_PORT=7777 python3 io_poll_server.py
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
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2])
        poller = select.poll()
        poller.register(conn, select.POLLIN)
        print("waiting in poll(): asleep until the socket is readable")
        events = poller.poll()  # no timeout: sleeps until data (or the peer's FIN) is there
        print("poll() returned", events)
        data = conn.recv(1024)  # does not block: poll() said the data is there
        print("recv() returned", data)
        if data:
            conn.sendall(data.upper())
        conn.close()
        print("closed the connection")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
