# A fork-per-connection server that never reaps: each child that exits stays a zombie.
import os, socket
host, port = os.environ.get("TCPLAB_HOST", "127.0.0.1"), int(os.environ.get("TCPLAB_PORT", "7777"))
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((host, port))
listener.listen(8)
while True:
    connection, _ = listener.accept()
    if os.fork() == 0:
        listener.close()
        while data := connection.recv(1024):
            connection.send(data.upper())
        connection.close()
        os._exit(0)
    connection.close()
