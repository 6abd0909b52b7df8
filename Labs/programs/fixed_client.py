"""fixed_client.py: the line client, fixed so that it never writes to a closed connection.

Before each send() it looks whether the server has already closed: the server's FIN makes the
socket readable and recv() then returns b"" at once. If so it stops and closes its own side,
so no data goes to the dead connection: no RST, no EPIPE, no SIGPIPE, just a clean FIN.
(The post's fix, "break when recv() returns b''", still sends one line too many: hehe draws
the RST before the client notices.)

Run:  TCPLAB_PORT=7777 python3 fixed_client.py    then type: haha, hehe, wawa
"""
import os
import select
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


def server_has_closed(sock):
    """True if the server's FIN is waiting: readable now, and recv() returns b""."""
    readable, _, _ = select.select([sock], [], [], 0)  # timeout 0: only look, never wait
    return bool(readable) and sock.recv(1024) == b""


def main():
    try:
        sock = socket.create_connection((HOST, PORT))
        print("connected")
        for line in sys.stdin:
            data = line.strip()
            if not data:
                break
            if server_has_closed(sock):  # look BEFORE sending: the fix
                print("other side has closed")
                break
            sock.send(data.encode())
            reply = sock.recv(1024)
            if not reply:
                print("other side has closed")
                break
            print("response from server:", reply.decode())
        sock.close()  # our FIN: the connection ends cleanly on both sides
        print("closed")
    except OSError as error:
        print(error)
        sys.exit(1)


if __name__ == "__main__":
    main()
