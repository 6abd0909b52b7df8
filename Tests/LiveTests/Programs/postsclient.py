# The posts' client: send each line typed, print the answer; it never looks for the EOF first.
import os, socket, sys
host, port = os.environ.get("TCPLAB_HOST", "127.0.0.1"), int(os.environ.get("TCPLAB_PORT", "7777"))
client = socket.create_connection((host, port))
for line in sys.stdin:
    client.send(line.rstrip("\n").encode())
    print(client.recv(1024).decode())
client.close()
