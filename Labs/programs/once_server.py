"""once_server.py: the once-server of the broken-pipe story (blog post 000), in Python 3.

It accepts a connection, reads ONE message, sends it back in upper case and closes the
connection at once, then waits for the next client. The client does not know yet: its next
send() reaches a socket nobody holds, and the server's kernel answers it with an RST.

Run:  TCPLAB_PORT=7777 python3 once_server.py     (Ctrl-C stops it)
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
    # Let a restarted server bind the port while old connections sit in TIME_WAIT (lab 07).
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(1)
    print(f"listening on {HOST}:{PORT}")
    try:
        while True:
            conn, peer = listener.accept()
            print("connect from", peer[:2])
            data = conn.recv(1024)  # one recv() only: the whole point of this server
            print("received", data)
            if data:
                conn.send(data.upper())
                print("sent", data.upper())
            # close() sends our FIN now, although the client may still want to talk.
            conn.close()
            print("closed the connection to", peer[:2])
    except KeyboardInterrupt:
        print("stopped")
    finally:
        listener.close()


if __name__ == "__main__":
    main()
