"""io_sigio_server.py: signal-driven I/O (lab 11, --variant signal-driven).

The server installs a SIGIO handler, makes itself the socket's owner (fcntl F_SETOWN) and turns
on O_ASYNC: the kernel now sends it SIGIO when data arrives (fcntl(2), "Signal-driven I/O").
Meanwhile its main loop does other work (here: counting, in 1 ms units), so the process is
running (state R) and uses CPU time, for its own work. The handler only sets a flag (little is
safe in a signal handler); the main loop sees it and reads. The socket stays non-blocking, as
signal-driven I/O wants: SIGIO says "there is data", not how much.

Run:  TCPLAB_PORT=7777 python3 io_sigio_server.py
"""
import fcntl
import os
import signal
import socket
import sys
import time

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)

got_sigio = False


def on_sigio(signum, frame):
    global got_sigio
    got_sigio = True


def one_unit_of_work():
    """About 1 ms of computing: the 'other work' the process does while it waits."""
    end = time.monotonic() + 0.001
    while time.monotonic() < end:
        pass


def main():
    global got_sigio
    signal.signal(signal.SIGIO, on_sigio)  # before O_ASYNC: SIGIO's default action kills
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2])
        got_sigio = False
        fcntl.fcntl(conn, fcntl.F_SETOWN, os.getpid())  # send the signals to me
        flags = fcntl.fcntl(conn, fcntl.F_GETFL)
        fcntl.fcntl(conn, fcntl.F_SETFL, flags | os.O_ASYNC | os.O_NONBLOCK)
        print("O_ASYNC set: working until SIGIO")
        units = 0
        data = b""
        while True:
            if got_sigio:
                got_sigio = False
                try:
                    data = conn.recv(1024)
                    break
                except BlockingIOError:  # SIGIO for something else (e.g. our own ACKs): go on
                    pass
            one_unit_of_work()
            units += 1
        print(f"SIGIO after {units} units of other work; recv() returned", data)
        if data:
            conn.setblocking(True)
            conn.sendall(data.upper())
        conn.close()
        print("closed the connection")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
