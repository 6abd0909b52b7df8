"""io_blocking_server.py: the blocking I/O model (lab 11, io-models --variant blocking).

After accept() the server calls recv() on a plain (blocking) socket. While the client says
nothing, recv() does not return: the kernel puts the process to sleep (state S in
/proc/PID/stat, wchan `wait_woken`) and wakes it when the client's data segment arrives. It
uses no CPU time while it sleeps. Then it answers in upper case and closes.

Run:  TCPLAB_PORT=7777 python3 io_blocking_server.py
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
        print("waiting in recv(): asleep until data comes")
        data = conn.recv(1024)  # blocks: the process sleeps in the kernel
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
