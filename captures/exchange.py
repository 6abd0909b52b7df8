# A small exchange for golden captures: one connection (haha/HAHA, client closes first),
# then a connect to a closed port (RST-ACK); with "udp", also a UDP datagram to a closed port.
import socket, sys, threading, time
ready = threading.Event()
def server():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 7777)); s.listen(1); ready.set()
    c, _ = s.accept(); d = c.recv(100); c.sendall(d.upper())
    c.recv(100); c.close(); s.close()
t = threading.Thread(target=server); t.start(); ready.wait()
if "udp" in sys.argv:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b"ping", ("127.0.0.1", 9999)); time.sleep(0.05)
c = socket.create_connection(("127.0.0.1", 7777)); c.sendall(b"haha"); print(c.recv(100)); time.sleep(0.05)
c.close(); t.join(); time.sleep(0.05)
try: socket.create_connection(("127.0.0.1", 7778))
except ConnectionRefusedError as e: print("refused", e)
time.sleep(0.1)
