# The posts' once-server: answer one line upper-cased, close the connection, exit.
import os, socket
host, port = os.environ.get("TCPLAB_HOST", "127.0.0.1"), int(os.environ.get("TCPLAB_PORT", "7777"))
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((host, port))
listener.listen(1)
connection, _ = listener.accept()
data = connection.recv(1024)
connection.send(data.upper())
connection.close()
listener.close()
