"""io_nonblocking_server.py: the non-blocking I/O model, used badly (lab 11, --variant nonblocking).

The accepted socket is made non-blocking (O_NONBLOCK). recv() then never sleeps: with no data
it fails at once with EAGAIN (Python raises BlockingIOError), and this server simply asks
again, and again, hundreds of thousands of times, until the data is there. The process is
running all the time (state R) and burns a CPU for nothing: the broken one of this lab.

Run:  TCPLAB_PORT=7777 python3 io_nonblocking_server.py
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
    while True:
        conn, peer = listener.accept()
        print("connect from", peer[:2])
        conn.setblocking(False)  # fcntl(F_SETFL, O_NONBLOCK)
        eagains = 0
        while True:  # spins: nothing here ever sleeps
            try:
                data = conn.recv(1024)
                break
            except BlockingIOError:  # recv() = -1 EAGAIN: no data yet
                eagains += 1
        print(f"recv() = -1 EAGAIN {eagains} times, then returned", data)
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
