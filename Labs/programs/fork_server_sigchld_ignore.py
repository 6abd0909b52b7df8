"""fork_server_sigchld_ignore.py: the fork server with SIGCHLD ignored (blog post 000's fix).

Identical to fork_server_no_reap.py except for one line: signal(SIGCHLD, SIG_IGN). That tells
the kernel "I will never wait() for my children", and the kernel then removes each child as it
exits: no zombie ever appears. (POSIX.1-2001 behaviour; see man 2 sigaction, SA_NOCLDWAIT.)
The price: the parent can no longer learn how a child ended.

This is a fixed one.

Run:  TCPLAB_PORT=7777 python3 fork_server_sigchld_ignore.py
"""
import os
import signal
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def serve(conn, peer):
    """The child's work: upper-case echo until the client's FIN (recv returns b"")."""
    while True:
        data = conn.recv(1024)
        if not data:
            print(f"child {os.getpid()}: client {peer[:2]} closed")
            break
        print(f"child {os.getpid()}: received {data}")
        conn.send(data.upper())
    conn.close()


def main():
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the fix: the kernel reaps for us
    print("SIGCHLD ignored: the kernel reaps every child as it exits")
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT} (parent pid {os.getpid()})")
    while True:
        conn, peer = listener.accept()
        pid = os.fork()
        if pid == 0:  # the child
            listener.close()
            serve(conn, peer)
            os._exit(0)
        print(f"forked child {pid} for {peer[:2]}")
        conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
