"""socketserver_server.py: the same thread-per-connection server on socketserver.ThreadingTCPServer.

The standard library does the accept loop and starts a thread per connection
(ThreadingMixIn.process_request); we only write handle(), which talks to one client.
allow_reuse_address sets SO_REUSEADDR before bind().

This is a fixed one for lab 05 (--variant thread).

Run:  TCPLAB_PORT=7777 python3 socketserver_server.py
"""
import os
import socketserver
import sys
import threading

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


class UpperHandler(socketserver.BaseRequestHandler):
    """Runs in its own thread for one connection: upper-case echo until the client's FIN."""

    def handle(self):
        name = threading.current_thread().name
        print(f"{name}: connect from {self.client_address[:2]}")
        while True:
            data = self.request.recv(1024)  # self.request is the accepted socket
            if not data:
                print(f"{name}: client {self.client_address[:2]} closed")
                return  # the server closes the socket after handle() returns
            print(f"{name}: received {data}")
            self.request.sendall(data.upper())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True  # Ctrl-C does not wait for connected clients
    address_family = socketserver.socket.AF_INET6 if ":" in HOST else socketserver.socket.AF_INET


if __name__ == "__main__":
    with Server((HOST, PORT), UpperHandler) as server:
        print(f"listening on {HOST}:{PORT}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
