# The fixed client: before sending a line, look (without blocking) whether the server closed.
import os, select, socket, sys
host, port = os.environ.get("TCPLAB_HOST", "127.0.0.1"), int(os.environ.get("TCPLAB_PORT", "7777"))
client = socket.create_connection((host, port))
for line in sys.stdin:
    readable, _, _ = select.select([client], [], [], 0)
    if readable and client.recv(1024) == b"":
        print("the server closed the connection")
        break
    client.send(line.rstrip("\n").encode())
    print(client.recv(1024).decode())
client.close()
