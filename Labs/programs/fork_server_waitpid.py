"""fork_server_waitpid.py: the fork server that reaps its children in a SIGCHLD handler.

When a child exits the kernel sends the parent SIGCHLD. The handler calls
waitpid(-1, WNOHANG) in a loop until no exited child is left: signals do not queue, so one
SIGCHLD may stand for several children, and WNOHANG makes waitpid return at once when the rest
are still running. Unlike SIG_IGN, the parent learns each child's exit status.

In C a handler may only call async-signal-safe functions (not printf); Python runs the handler
later, between two bytecodes of the main program, so printing in it is fine here.
accept() interrupted by the signal (EINTR) is restarted by Python itself (PEP 475).

This is a fixed one. It also serves clients concurrently (one process per client).

Run:  TCPLAB_PORT=7777 python3 fork_server_waitpid.py
"""
import os
import signal
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def reap_children(signum, frame):
    """SIGCHLD handler: collect every child that has exited, without ever blocking."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # no children at all
            return
        if pid == 0:  # children left, but all still running
            return
        # os.write, not print(): the signal may arrive while the main loop is inside print(),
        # and print() may not be re-entered (RuntimeError: reentrant call).
        os.write(1, f"reaped child {pid} (exit status {os.waitstatus_to_exitcode(status)})\n".encode())


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
    signal.signal(signal.SIGCHLD, reap_children)  # the fix
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
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the child has no children to reap
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
