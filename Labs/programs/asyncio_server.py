"""asyncio_server.py: the multiplexing server written with asyncio coroutines.

One coroutine per client reads and answers as if it were alone; each `await` hands control
back to the event loop, which waits for all sockets at once (epoll on Linux). One process,
one thread: the same model as the epoll server, with the loop written for us. (This replaces
asyncore, which the posts' era used; it is gone from Python 3.12.)

This is a fixed one for lab 05 (on Linux the same model as --variant epoll).

Run:  TCPLAB_PORT=7777 python3 asyncio_server.py
"""
import asyncio
import os
import socket
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


async def answer(reader, writer):
    """One client: upper-case echo until its FIN (read() returns b"")."""
    peer = writer.get_extra_info("peername")[:2]
    print("connect from", peer)
    while True:
        try:
            data = await reader.read(1024)  # waits without blocking the other clients
        except ConnectionResetError:
            data = b""
        if not data:
            print("client closed:", peer)
            break
        print("received", data, "from", peer)
        writer.write(data.upper())
        await writer.drain()
    writer.close()


async def main():
    # We make the listening socket ourselves, as the other programs do (and so asyncio starts
    # no helper thread to resolve the host name).
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, PORT))
    listener.listen(511)
    server = await asyncio.start_server(answer, sock=listener)
    print(f"listening on {HOST}:{PORT}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("stopped")
