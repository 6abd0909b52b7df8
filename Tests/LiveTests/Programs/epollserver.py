# A single-threaded echo server on level-triggered epoll: every ready client is served in turn.
import os, select, socket
host, port = os.environ.get("TCPLAB_HOST", "127.0.0.1"), int(os.environ.get("TCPLAB_PORT", "7777"))
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((host, port))
listener.listen(16)
epoll = select.epoll()
epoll.register(listener.fileno(), select.EPOLLIN)
connections = {}
while True:
    for fd, _ in epoll.poll():
        if fd == listener.fileno():
            connection, _ = listener.accept()
            epoll.register(connection.fileno(), select.EPOLLIN)
            connections[connection.fileno()] = connection
        else:
            connection = connections[fd]
            data = connection.recv(1024)
            if data:
                connection.sendall(data)
            else:
                epoll.unregister(fd)
                del connections[fd]
                connection.close()
