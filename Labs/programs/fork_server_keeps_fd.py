"""fork_server_keeps_fd.py: a fork server whose parent forgets to close the accepted socket.

After fork() the parent and the child both hold the connection's socket. A FIN is sent only
when the LAST descriptor of the socket is closed. Here the parent never closes its copy, so
when the client closes and the child closes and exits, the server's side stays in CLOSE_WAIT
and the client's side in FIN_WAIT2: the client never receives the server's FIN. Only when
the parent exits (Ctrl-C) do the FINs go out. Blog post 003 marks the parent's close "very
important" for this reason. (It reaps its children, so zombies are not the issue here.)

This is the broken one. Watch the states: tcplab states --port 7777

Run:  TCPLAB_PORT=7777 python3 fork_server_keeps_fd.py
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
    conn.close()  # closes only the child's copy: the parent still holds one
    print(f"child {os.getpid()}: closed its copy of the socket")


def main():
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies: this lesson is about the socket
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT} (parent pid {os.getpid()})")
    kept = []  # the parent's copies, never closed: the bug
    while True:
        conn, peer = listener.accept()
        pid = os.fork()
        if pid == 0:  # the child
            listener.close()
            serve(conn, peer)
            os._exit(0)
        print(f"forked child {pid} for {peer[:2]}; the parent keeps its copy of the socket")
        kept.append(conn)  # should have been: conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
