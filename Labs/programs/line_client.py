"""line_client.py: the client of the broken-pipe story (blog post 000), in Python 3.

It connects, then for every line you type (try: haha, hehe, wawa) it sends the line and
prints the reply. When recv() returns b"" the server has closed, and it says so, but it does
NOT stop: the next send() goes to a server that is gone. An empty line (or end of input) quits.

This is the broken one. Python ignores SIGPIPE for every program, so the last send() raises
BrokenPipeError ("[Errno 32] Broken pipe", as the post shows) instead of killing the client;
a C client with SIGPIPE at its default action would die of the signal.

Run:  TCPLAB_PORT=7777 python3 line_client.py
"""
import os
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def main():
    try:
        sock = socket.create_connection((HOST, PORT))
        print("connected")
        for line in sys.stdin:
            data = line.strip()
            if not data:
                break
            sock.send(data.encode())  # the line without its newline: "haha" is 4 bytes
            reply = sock.recv(1024)
            if not reply:
                print("other side has closed")  # ...and we carry on: the bug
            else:
                print("response from server:", reply.decode())
        sock.close()
    except OSError as error:  # the post printed the exception and ended normally
        print(error)


if __name__ == "__main__":
    main()
