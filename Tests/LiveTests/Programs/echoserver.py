# An iterative echo server: one connection at a time, every line sent back until the client leaves.
import os, socket
host, port = os.environ.get("TCPLAB_HOST", "127.0.0.1"), int(os.environ.get("TCPLAB_PORT", "7777"))
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((host, port))
listener.listen(8)
while True:
    connection, _ = listener.accept()
    while data := connection.recv(1024):
        connection.sendall(data)
    connection.close()
