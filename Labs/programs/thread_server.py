"""thread_server.py: one thread per connection, written by hand with threading (blog post 001).

The main thread only accepts; each connection gets a thread of its own that answers its
messages (upper case) until the client closes. The threads share one process, so there is no
zombie to reap (a finished thread is joined by nobody here: daemon threads are simply freed).

This is a fixed one for lab 05 (--variant thread).

Run:  TCPLAB_PORT=7777 python3 thread_server.py
"""
import os
import socket
import sys
import threading

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def serve(conn, peer):
    """One thread's work: upper-case echo until the client's FIN."""
    name = threading.current_thread().name
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                print(f"{name}: client {peer[:2]} closed")
                return
            print(f"{name}: received {data}")
            conn.send(data.upper())


def main():
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(5)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, peer = listener.accept()
        # The thread goes on the connection, never on the listening socket (post 001's advice).
        thread = threading.Thread(target=serve, args=(conn, peer), daemon=True)
        thread.start()
        print(f"started {thread.name} for {peer[:2]}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("stopped")
