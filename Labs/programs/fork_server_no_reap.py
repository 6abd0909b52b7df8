"""fork_server_no_reap.py: a fork-per-connection server that never reaps (blog post 000).

The parent accepts and forks; the child serves that one client (every message comes back in
upper case) until the client closes, then exits. The parent never calls wait(), so every
child that has exited stays in the process table as a zombie: state Z, "<defunct>" in ps.
kill cannot remove it (it is already dead); killing the parent does: init adopts and reaps it.

This is the broken one. Run it, connect a client, let it leave, then: ps -o pid,stat,cmd --ppid PID

Run:  TCPLAB_PORT=7777 python3 fork_server_no_reap.py
"""
import os
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
            listener.close()  # the child never accepts
            serve(conn, peer)
            os._exit(0)  # exits... and nobody will ever wait() for it
        print(f"forked child {pid} for {peer[:2]}")
        conn.close()  # the parent's copy: the child has its own


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
