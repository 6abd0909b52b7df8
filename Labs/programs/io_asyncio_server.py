"""io_asyncio_server.py: Python's "asynchronous" model, asyncio (lab 11).

Each connection is a coroutine: `await reader.read()` gives the event loop control until the
data is there. It reads like asynchronous I/O, but underneath asyncio's loop is readiness-based:
on Linux it sleeps in epoll_wait() (state S) until the socket is readable, then calls recv()
itself, the multiplexing model of io_poll_server.py. Real asynchronous I/O on Linux, where the
kernel does the read and posts a completion, is io_uring (the scenario's `async` variant).

Run:  TCPLAB_PORT=7777 python3 io_asyncio_server.py
"""
import asyncio
import os
import sys

HOST = os.environ.get("TCPLAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("TCPLAB_PORT", "7777"))
# Print each line at once, in one write(), even into a pipe (tcplab reads it as it comes).
sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, closefd=False)


async def serve(reader, writer):
    peer = writer.get_extra_info("peername")
    print("connect from", peer[:2])
    print("awaiting read(): the event loop sleeps in epoll_wait()")
    data = await reader.read(1024)
    print("read() returned", data)
    if data:
        writer.write(data.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()
    print("closed the connection")


async def main():
    server = await asyncio.start_server(serve, HOST, PORT, reuse_address=True)
    print(f"listening on {HOST}:{PORT}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("stopped")
