"""Live tests of the programs in Labs/programs: each one runs for real on loopback and is driven
by real sockets, and its observable behaviour is checked (replies, FIN/RST outcomes, socket
states in /proc/net/tcp, child processes in /proc).

Run from the top of the checkout:  python3 -m unittest Labs/programs/test_programs.py

Every wait is on an event (a line the program prints, a socket becoming readable, a pidfd saying
a process ended, a state appearing in /proc) with a timeout that fails and says what was seen.
The test process makes itself a child subreaper, so the children a killed fork server leaves
are re-parented to it and reaped: no zombie outlives a test.
"""
import ctypes
import errno
import os
import queue
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "127.0.0.1"
TIMEOUT = 20.0  # seconds; the machine may be loaded, so generous, but every wait fails loudly

# Kernel codes of /proc/net/tcp's `st` column (include/net/tcp_states.h).
ESTABLISHED, FIN_WAIT2, TIME_WAIT, CLOSE_WAIT, LISTEN = 0x01, 0x05, 0x06, 0x08, 0x0A
STATE_NAMES = {0x01: "ESTABLISHED", 0x02: "SYN_SENT", 0x03: "SYN_RECV", 0x04: "FIN_WAIT1", 0x05: "FIN_WAIT2",
               0x06: "TIME_WAIT", 0x07: "CLOSE", 0x08: "CLOSE_WAIT", 0x09: "LAST_ACK", 0x0A: "LISTEN",
               0x0B: "CLOSING"}
PR_SET_CHILD_SUBREAPER = 36  # prctl(2)


def setUpModule():
    # A shell starts a background job with SIGINT ignored, and an ignored signal stays ignored
    # across exec: the servers would then not stop on the SIGINT some tests send (as Ctrl-C).
    # A handled signal is reset to its default action by exec, so handle it here.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def free_port():
    """A port nobody listens on right now (the kernel picks it)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def tcp_table():
    """The IPv4 TCP sockets: a list of (local port, remote port, state, rx_queue)."""
    rows = []
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, remote, state = fields[1], fields[2], int(fields[3], 16)
            rx_queue = int(fields[4].split(":")[1], 16)
            rows.append((int(local.split(":")[1], 16), int(remote.split(":")[1], 16), state, rx_queue))
    return rows


def state_of(local_port, remote_port):
    """The state of the socket local_port -> remote_port, or None if it is not in the table."""
    for local, remote, state, _ in tcp_table():
        if local == local_port and remote == remote_port:
            return state
    return None


def wait_for(condition, what, seen=lambda: None):
    """Waits until condition() is true; fails with `what` and what seen() reports otherwise."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {TIMEOUT:.0f} s waiting for {what}; seen: {seen()}")
        # allowed: /proc has no notification for a state change; polling it is how it is observed
        time.sleep(0.01)


def wait_for_state(local_port, remote_port, state):
    name = STATE_NAMES[state]
    wait_for(lambda: state_of(local_port, remote_port) == state,
             f"{local_port}->{remote_port} in {name}",
             lambda: STATE_NAMES.get(state_of(local_port, remote_port), "gone"))


def process_state(pid):
    """The state letter of /proc/PID/stat (R, S, Z ...), or None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def children_of(pid):
    """The pids whose parent is pid, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


def thread_count(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"^Threads:\s+(\d+)", status.read(), re.M).group(1))


def wait_exited(pid):
    """Waits until process pid has ended (a pidfd becomes readable), whoever reaps it."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    try:
        ready, _, _ = select.select([fd], [], [], TIMEOUT)
        if not ready:
            raise AssertionError(f"process {pid} did not end within {TIMEOUT:.0f} s (state {process_state(pid)})")
    finally:
        os.close(fd)


def recv_exactly(sock, size):
    """Reads exactly size bytes (TCP is a stream: a reply may come in pieces)."""
    sock.settimeout(TIMEOUT)
    data = b""
    while len(data) < size:
        piece = sock.recv(size - len(data))
        if not piece:
            raise AssertionError(f"the server closed after {len(data)} of {size} bytes: {data[:60]!r}")
        data += piece
    return data


def readable_within(sock, seconds):
    ready, _, _ = select.select([sock], [], [], seconds)
    return bool(ready)


class Program:
    """One program of Labs/programs, run with TCPLAB_HOST/TCPLAB_PORT, in its own process group.
    Its stdout lines are collected by a thread; expect() waits for a line matching a pattern."""

    def __init__(self, name, port, stdin=False, env=None):
        env = dict(os.environ, TCPLAB_HOST=HOST, TCPLAB_PORT=str(port), **(env or {}))
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, name)], env=env, text=True, start_new_session=True,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        LIVE.add(self.process.pid)
        self.lines = []
        self.taken = set()  # indices of lines an expect() matched
        self.queue = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    @property
    def pid(self):
        return self.process.pid

    def expect(self, pattern):
        """Waits for a line matching pattern (a regex) that no earlier expect() took, looking
        first at the lines already printed; returns its match."""
        for index, line in enumerate(self.lines):
            match = re.search(pattern, line)
            if match and index not in self.taken:
                self.taken.add(index)
                return match
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{self.name} printed no line matching {pattern!r} in {TIMEOUT:.0f} s; "
                                     f"it printed {self.lines}") from None
            if line is None:
                self.process.wait()
                raise AssertionError(f"{self.name} ended ({self.process.returncode}) without printing {pattern!r}; "
                                     f"it printed {self.lines}; stderr: {self.process.stderr.read()}")
            self.lines.append(line)
            match = re.search(pattern, line)
            if match:
                self.taken.add(len(self.lines) - 1)
                return match

    def type_line(self, text):
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def wait_end(self):
        try:
            return self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} did not end in {TIMEOUT:.0f} s; it printed {self.lines}") from None

    def stop(self):
        """SIGTERM to its process group, SIGKILL after a grace period; then reap what it left."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(5)
                break
            except subprocess.TimeoutExpired:
                continue
        LIVE.discard(self.process.pid)
        reap_orphans()
        self.reader.join(TIMEOUT)  # its stdout ends once every process of the group is gone
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


LIVE = set()  # pids of the programs running now (their Popen reaps them)


def reap_orphans():
    """Reaps the children a stopped server left behind: they were re-parented to us (we are
    their subreaper) when it died, and were killed with its process group."""
    for pid in children_of(os.getpid()):
        if pid not in LIVE:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


class ServerTest(unittest.TestCase):
    """Starts a server program on a free port before each test and stops it after."""

    def serve(self, name, env=None):
        self.port = free_port()
        server = Program(name, self.port, env=env)
        self.addCleanup(server.stop)
        server.expect(r"^listening on ")
        return server

    def connect(self):
        sock = socket.create_connection((HOST, self.port), timeout=TIMEOUT)
        self.addCleanup(sock.close)
        return sock

    def ask(self, sock, text):
        """Sends text and returns the reply of the same length (the servers answer byte for byte)."""
        sock.sendall(text)
        return recv_exactly(sock, len(text))


class OnceServerTests(ServerTest):
    def test_answers_once_then_the_next_send_is_reset(self):
        server = self.serve("once_server.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        self.assertEqual(self.ask(sock, b"haha"), b"HAHA")
        server.expect(r"^closed the connection")
        self.assertEqual(sock.recv(1024), b"", "the server's FIN: recv() returns b''")
        wait_for_state(client_port, self.port, CLOSE_WAIT)
        self.assertEqual(sock.send(b"hehe"), 4, "a socket in CLOSE_WAIT may still send")
        # The server's kernel answers hehe with an RST; the socket then reports an error.
        poller = select.poll()
        poller.register(sock, select.POLLERR)
        events = poller.poll(TIMEOUT * 1000)
        self.assertTrue(events and events[0][1] & select.POLLERR, f"no RST reported for hehe: {events}")
        with self.assertRaises((BrokenPipeError, ConnectionResetError)):
            sock.send(b"wawa")

    def test_the_posts_client_prints_broken_pipe(self):
        self.serve("once_server.py")
        client = Program("line_client.py", self.port, stdin=True)
        self.addCleanup(client.stop)
        client.expect(r"^connected$")
        client.type_line("haha")
        client.expect(r"^response from server: HAHA$")
        client_port = self.client_port_in(CLOSE_WAIT)
        client.type_line("hehe")
        client.expect(r"^other side has closed$")
        # hehe drew the RST: the client's connection leaves the table. Only then wawa.
        wait_for(lambda: state_of(client_port, self.port) is None, "the RST to end the client's connection",
                 lambda: STATE_NAMES.get(state_of(client_port, self.port)))
        client.type_line("wawa")
        client.expect(r"\[Errno 32\] Broken pipe")
        self.assertEqual(client.wait_end(), 0, "Python ignores SIGPIPE: EPIPE, printed, exit 0")

    def test_the_fixed_client_stops_at_eof_and_closes_cleanly(self):
        server = self.serve("once_server.py")
        client = Program("fixed_client.py", self.port, stdin=True)
        self.addCleanup(client.stop)
        client.expect(r"^connected$")
        client.type_line("haha")
        client.expect(r"^response from server: HAHA$")
        client_port = self.client_port_in(CLOSE_WAIT)
        client.type_line("hehe")
        client.expect(r"^other side has closed$")
        client.expect(r"^closed$")
        self.assertEqual(client.wait_end(), 0)
        # No RST: the client's FIN was ACKed and the server's side, the first to close, is in TIME_WAIT.
        wait_for_state(self.port, client_port, TIME_WAIT)
        self.assertFalse(any("hehe" in line for line in server.lines))

    def test_closing_with_unread_bytes_sends_an_rst(self):
        self.serve("once_server.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        sock.sendall(b"x" * 3000)  # the server reads 1024 of them, answers and closes
        poller = select.poll()
        poller.register(sock, select.POLLERR)
        events = poller.poll(TIMEOUT * 1000)
        self.assertTrue(events and events[0][1] & select.POLLERR, f"no RST came: {events}")
        self.assertEqual(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), errno.ECONNRESET)
        self.assertIsNone(state_of(self.port, client_port), "an abortive close leaves no FIN_WAIT2 or TIME_WAIT")

    def test_restart_binds_only_with_so_reuseaddr(self):
        for name, binds in (("once_server.py", True), ("no_reuse_server.py", False)):
            with self.subTest(name):
                server = self.serve(name)
                sock = self.connect()
                client_port = sock.getsockname()[1]
                self.assertEqual(self.ask(sock, b"haha"), b"HAHA")
                server.expect(r"^closed the connection")
                sock.close()
                wait_for_state(self.port, client_port, TIME_WAIT)  # the server closed first
                os.kill(server.pid, signal.SIGINT)
                server.expect(r"^stopped$")
                self.assertEqual(server.wait_end(), 0)
                again = Program(name, self.port)
                self.addCleanup(again.stop)
                if binds:
                    again.expect(r"^listening on ")
                else:
                    self.assertEqual(again.wait_end(), 1)
                    self.assertIn("Address already in use", again.process.stderr.read())
                again.stop()

    def client_port_in(self, state):
        """The port of the one client connection to our server that is in state (waits for it)."""
        found = []

        def look():
            found[:] = [local for local, remote, st, _ in tcp_table() if remote == self.port and st == state]
            return len(found) == 1
        wait_for(look, f"the client's socket in {STATE_NAMES[state]}",
                 lambda: [(l, STATE_NAMES.get(s)) for l, r, s, _ in tcp_table() if r == self.port])
        return found[0]


class ForkServerTests(ServerTest):
    def visit(self, server):
        """One client comes, is answered by a child, and leaves. Returns the child's pid."""
        sock = self.connect()
        child = int(server.expect(r"^forked child (\d+)").group(1))
        self.assertEqual(self.ask(sock, b"hello"), b"HELLO")
        sock.close()
        return child

    def test_no_reap_leaves_a_zombie(self):
        server = self.serve("fork_server_no_reap.py")
        child = self.visit(server)
        wait_exited(child)
        self.assertEqual(process_state(child), "Z", "the exited child stays a zombie")
        os.kill(child, signal.SIGKILL)  # does nothing to a zombie
        self.assertEqual(process_state(child), "Z", "kill does not remove a zombie")
        server.stop()  # the parent dies; we adopt the zombie (subreaper) and reap it
        self.assertIsNone(process_state(child), "killing the parent clears the zombie")

    def test_sigchld_ignored_leaves_no_zombie(self):
        server = self.serve("fork_server_sigchld_ignore.py")
        child = self.visit(server)
        wait_exited(child)
        wait_for(lambda: process_state(child) is None, f"child {child} to be removed",
                 lambda: f"state {process_state(child)}")
        self.assertEqual(children_of(server.pid), [])

    def test_waitpid_handler_reaps_every_child(self):
        server = self.serve("fork_server_waitpid.py")
        children = [self.visit(server) for _ in range(3)]
        for child in children:
            wait_exited(child)
        reaped = {int(server.expect(r"^reaped child (\d+)").group(1)) for _ in children}
        self.assertEqual(reaped, set(children))
        self.assertEqual([c for c in children if process_state(c) is not None], [], "no child left, not even a zombie")

    def test_the_fixed_server_sends_its_fin_when_the_child_closes(self):
        server = self.serve("fork_server_waitpid.py")
        sock = self.connect()
        server.expect(r"^forked child (\d+)")
        self.assertEqual(self.ask(sock, b"hello"), b"HELLO")
        sock.shutdown(socket.SHUT_WR)
        self.assertEqual(sock.recv(1024), b"", "the child's close() sent the FIN")

    def test_parent_keeping_the_socket_withholds_the_fin(self):
        server = self.serve("fork_server_keeps_fd.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        child = int(server.expect(r"^forked child (\d+)").group(1))
        self.assertEqual(self.ask(sock, b"hello"), b"HELLO")
        sock.shutdown(socket.SHUT_WR)  # the client closes its sending side first
        wait_exited(child)
        # The child closed and exited, but the parent's copy keeps the connection open: no FIN.
        wait_for_state(self.port, client_port, CLOSE_WAIT)
        wait_for_state(client_port, self.port, FIN_WAIT2)  # its FIN's ACK may be delayed up to 40 ms
        self.assertFalse(readable_within(sock, 0), "the client has nothing to read: no FIN came")
        os.kill(server.pid, signal.SIGINT)  # the parent exits, closing its copy: now the FIN goes
        server.wait_end()
        sock.settimeout(TIMEOUT)
        self.assertEqual(sock.recv(1024), b"")


class ConcurrencyTests(ServerTest):
    """The concurrent servers serve three clients at once, and a long message in full."""

    def serve_three_at_once(self, name):
        server = self.serve(name)
        clients = [self.connect() for _ in range(3)]
        # Every client is answered while all three are connected; the last one connected first.
        for number, sock in reversed(list(enumerate(clients, 1))):
            line = f"hello {number}\n".encode()
            self.assertEqual(self.ask(sock, line), line.upper(), f"{name}: client {number}")
        long = b"x" * 5000  # more than one recv(1024): an edge-triggered server must drain
        self.assertEqual(self.ask(clients[0], long), long.upper(), f"{name}: the long message")
        return server

    def assert_one_process_one_thread(self, server):
        self.assertEqual(thread_count(server.pid), 1, f"{server.name} uses one thread")
        self.assertEqual(children_of(server.pid), [], f"{server.name} forks nothing")

    def test_select(self):
        self.assert_one_process_one_thread(self.serve_three_at_once("select_server.py"))

    def test_poll(self):
        self.assert_one_process_one_thread(self.serve_three_at_once("poll_server.py"))

    def test_epoll_level_triggered(self):
        self.assert_one_process_one_thread(self.serve_three_at_once("epoll_server.py"))

    def test_epoll_edge_triggered_reads_everything(self):
        self.assert_one_process_one_thread(self.serve_three_at_once("epoll_et_server.py"))

    def test_selectors(self):
        self.assert_one_process_one_thread(self.serve_three_at_once("selectors_server.py"))

    def test_asyncio(self):
        self.assert_one_process_one_thread(self.serve_three_at_once("asyncio_server.py"))

    def test_threads(self):
        server = self.serve_three_at_once("thread_server.py")
        self.assertEqual(thread_count(server.pid), 4, "the main thread and one per client")

    def test_socketserver_threads(self):
        server = self.serve_three_at_once("socketserver_server.py")
        self.assertEqual(thread_count(server.pid), 4, "the main thread and one per client")

    def test_fork(self):
        server = self.serve_three_at_once("fork_server_waitpid.py")
        self.assertEqual(len(children_of(server.pid)), 3, "one child per client")

    def test_iterative_answers_the_second_client_only_after_the_first_leaves(self):
        self.serve("iterative_server.py")
        first, second = self.connect(), self.connect()  # both handshakes complete in the kernel
        self.assertEqual(self.ask(first, b"one\n"), b"ONE\n")
        second.sendall(b"two\n")
        self.assertFalse(readable_within(second, 1.0), "the second client is not answered while the first stays")
        first.close()
        self.assertEqual(recv_exactly(second, 4), b"TWO\n")

    def test_one_client_server_resets_the_client_left_in_the_accept_queue(self):
        server = self.serve("one_client_server.py")
        first, second = self.connect(), self.connect()
        self.assertEqual(self.ask(first, b"one\n"), b"ONE\n")
        second.sendall(b"two\n")
        self.assertFalse(readable_within(second, 1.0), "the second client is not answered while the first stays")
        first.close()
        server.expect(r"^done: the listener is closed")
        second.settimeout(TIMEOUT)
        with self.assertRaises(ConnectionResetError, msg="closing the listener resets the connection nobody accepted"):
            second.recv(16)
        self.assertEqual(server.wait_end(), 0)

    def test_epoll_edge_triggered_reading_once_stalls(self):
        self.serve("epoll_et_once_server.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        sock.sendall(b"x" * 5000)  # one send, one segment on loopback, one edge
        self.assertEqual(recv_exactly(sock, 1024), b"X" * 1024, "one read of 1024 bytes is answered")
        self.assertFalse(readable_within(sock, 1.0), "nothing more: the server waits for an edge")
        queued = [rx for local, remote, _, rx in tcp_table() if local == self.port and remote == client_port]
        self.assertEqual(queued, [5000 - 1024], "the rest sits unread in the server's Recv-Q")
        sock.sendall(b"y")  # new data, a new edge: one more read
        self.assertEqual(recv_exactly(sock, 1024), b"X" * 1024)


class CloseStatesTests(ServerTest):
    def test_server_closes_first(self):
        server = self.serve("close_server_first.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        sock.sendall(b"hello")
        reply = sock.recv(1024)
        self.assertTrue(reply.startswith(b"[") and reply.endswith(b"] hello"), reply)
        server.expect(r"^closed first")
        wait_for_state(self.port, client_port, FIN_WAIT2)
        wait_for_state(client_port, self.port, CLOSE_WAIT)
        self.assertEqual(sock.recv(1024), b"", "the server's FIN")
        sock.close()
        wait_for_state(self.port, client_port, TIME_WAIT)  # the side that closed first waits
        self.assertIsNone(state_of(client_port, self.port), "the client's side is gone")

    def test_client_closes_first(self):
        server = self.serve("close_client_first.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        sock.sendall(b"hello")
        self.assertTrue(sock.recv(1024).endswith(b"] hello"))
        sock.close()
        server.expect(r"^client closed first")
        wait_for_state(client_port, self.port, TIME_WAIT)
        wait_for(lambda: state_of(self.port, client_port) is None, "the server's side to be gone",
                 lambda: STATE_NAMES.get(state_of(self.port, client_port)))

    def test_ctrl_c_makes_the_echo_server_close_first(self):
        server = self.serve("close_client_first.py")
        sock = self.connect()
        client_port = sock.getsockname()[1]
        sock.sendall(b"hello")
        self.assertTrue(sock.recv(1024).endswith(b"] hello"))
        os.kill(server.pid, signal.SIGINT)  # as Ctrl-C in its terminal
        server.expect(r"^stopped$")
        wait_for_state(self.port, client_port, FIN_WAIT2)
        wait_for_state(client_port, self.port, CLOSE_WAIT)


class ClientClosesFirstTests(unittest.TestCase):
    """Lab 02 client-first: the client closes when its input ends; SO_LINGER 0 makes that an RST."""

    def talk(self, name):
        """Runs the client against a listener of ours: hello, its echo, then the end of its input."""
        listener = socket.create_server((HOST, 0))
        self.addCleanup(listener.close)
        port = listener.getsockname()[1]
        client = Program(name, port, stdin=True)
        self.addCleanup(client.stop)
        listener.settimeout(TIMEOUT)
        conn, peer = listener.accept()
        self.addCleanup(conn.close)
        conn.settimeout(TIMEOUT)
        client.type_line("hello")
        self.assertEqual(recv_exactly(conn, 5), b"hello")
        conn.sendall(b"hello")
        client.expect(r"^response from server: hello$")
        client.process.stdin.close()  # its input ends: it closes first
        self.assertEqual(client.wait_end(), 0)
        return conn, peer[1], port

    def test_fixed_client_closes_first_and_waits_in_time_wait(self):
        conn, client_port, port = self.talk("fixed_client.py")
        self.assertEqual(conn.recv(16), b"", "the client's FIN: EOF")
        wait_for_state(port, client_port, CLOSE_WAIT)
        conn.close()
        wait_for_state(client_port, port, TIME_WAIT)

    def test_linger_zero_client_resets_instead_of_closing(self):
        conn, client_port, port = self.talk("linger_zero_client.py")
        with self.assertRaises(ConnectionResetError, msg="an RST, not a FIN: recv() fails instead of reading EOF"):
            conn.recv(16)
        self.assertIsNone(state_of(client_port, port), "no FIN_WAIT2, no TIME_WAIT on the client's side")


class KeystrokeClientTests(unittest.TestCase):
    """Lab 10: the keystroke clients send one character per send(); the echo comes back whole."""

    def run_client(self, name):
        listener = socket.create_server((HOST, 0))
        self.addCleanup(listener.close)
        client = Program(name, listener.getsockname()[1], stdin=True)
        self.addCleanup(client.stop)
        listener.settimeout(TIMEOUT)
        conn, _ = listener.accept()
        self.addCleanup(conn.close)
        client.type_line("hello tcp")
        conn.sendall(recv_exactly(conn, 9))  # the echo; the newline is not sent
        client.expect(r"^echo: hello tcp$")
        client.process.stdin.close()
        client.expect(r"^closed$")
        self.assertEqual(client.wait_end(), 0)
        return conn

    # Whether a socket has TCP_NODELAY cannot be read from outside its process (not in /proc,
    # not in sock_diag), and on a plain loopback the ACKs come too fast for Nagle to hold anything
    # back: its effect is judged on a slowed link by `tcplab check nagle --variant nodelay`. Here
    # both clients must talk correctly, and the option must be set by one and not the other.
    def test_nodelay_client_sets_tcp_nodelay(self):
        self.run_client("nodelay_client.py")
        with open(os.path.join(HERE, "nodelay_client.py")) as source:
            self.assertIn("TCP_NODELAY, 1", source.read())

    def test_keystroke_client_leaves_nagle_on(self):
        self.run_client("keystroke_client.py")
        with open(os.path.join(HERE, "keystroke_client.py")) as source:
            self.assertNotIn("setsockopt(", source.read())


def cpu_ticks(pid):
    """utime + stime of /proc/PID/stat (fields 14 and 15), in clock ticks."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wchan(pid):
    with open(f"/proc/{pid}/wchan") as file:
        return file.read().strip()


def keepalive_timer(local_port, remote_port):
    """The `tr` column of /proc/net/tcp for local_port -> remote_port: 2 is the keepalive timer."""
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == local_port and int(fields[2].split(":")[1], 16) == remote_port:
                return int(fields[5].split(":")[0], 16)
    return None


class IOModelTests(ServerTest):
    """Lab 11: each server waits for data its own way; /proc shows how."""

    def wait_asleep(self, server):
        wait_for(lambda: process_state(server.pid) == "S" and wchan(server.pid) not in ("", "0"),
                 f"{server.name} asleep in the kernel", lambda: (process_state(server.pid), wchan(server.pid)))

    def wait_burning(self, server):
        start = cpu_ticks(server.pid)
        wait_for(lambda: cpu_ticks(server.pid) >= start + 5, f"{server.name} to use 5 ticks of CPU while it waits",
                 lambda: (process_state(server.pid), cpu_ticks(server.pid) - start))

    def answered(self, server, sock):
        self.assertEqual(self.ask(sock, b"ping"), b"PING")
        sock.settimeout(TIMEOUT)
        self.assertEqual(sock.recv(16), b"", "the server's FIN after the answer")
        server.expect(r"^closed the connection")

    def test_blocking_sleeps_in_recv(self):
        server = self.serve("io_blocking_server.py")
        sock = self.connect()
        server.expect(r"^waiting in recv\(\)")
        self.wait_asleep(server)
        self.answered(server, sock)

    def test_nonblocking_spins_on_eagain(self):
        server = self.serve("io_nonblocking_server.py")
        sock = self.connect()
        server.expect(r"^connect from")
        self.wait_burning(server)
        self.answered(server, sock)
        count = int(server.expect(r"EAGAIN (\d+) times").group(1))
        self.assertGreater(count, 100, "the loop asked again and again")

    def test_poll_sleeps_in_poll(self):
        server = self.serve("io_poll_server.py")
        sock = self.connect()
        server.expect(r"^waiting in poll\(\)")
        self.wait_asleep(server)
        self.answered(server, sock)
        server.expect(r"^poll\(\) returned \[\(\d+, 1\)\]")  # POLLIN

    def test_sigio_works_until_the_signal(self):
        server = self.serve("io_sigio_server.py")
        sock = self.connect()
        server.expect(r"^O_ASYNC set")
        self.wait_burning(server)
        self.answered(server, sock)
        units = int(server.expect(r"^SIGIO after (\d+) units").group(1))
        self.assertGreater(units, 0)

    def test_asyncio_sleeps_in_epoll_wait(self):
        server = self.serve("io_asyncio_server.py")
        sock = self.connect()
        server.expect(r"^awaiting read\(\)")
        self.wait_asleep(server)
        self.assertIn("epoll", wchan(server.pid), "asyncio's loop sleeps in epoll_wait()")
        self.answered(server, sock)


class FlowControlTests(ServerTest):
    """Lab 13: a receiver that stops reading fills up; the sender blocks, then the data flows."""

    def test_a_full_receiver_makes_send_return_eagain_then_takes_everything(self):
        server = self.serve("slow_receiver.py", env={"TCPLAB_PAUSE": "3"})
        sock = self.connect()
        client_port = sock.getsockname()[1]
        server.expect(r"^not reading for")
        sock.setblocking(False)
        sent = 0
        while True:  # until both buffers are full: the receiver's window is 0
            if not select.select([], [sock], [], 1.0)[1]:
                break  # not writable for a second: the window is closed
            try:
                sent += sock.send(b"x" * 4096)
            except BlockingIOError:
                continue
        self.assertFalse(any(line.startswith("read ") for line in server.lines),
                         f"the receiver read before the sender was stopped: {server.lines}")
        receiver_queue = [rx for local, remote, _, rx in tcp_table() if local == self.port and remote == client_port]
        self.assertTrue(receiver_queue and receiver_queue[0] > 0, f"the receiver's Recv-Q: {receiver_queue}")
        sock.setblocking(True)
        sock.sendall(b"y" * 8192)  # blocks until the receiver reads again
        sock.shutdown(socket.SHUT_WR)
        total = int(server.expect(r"^read (\d+) bytes").group(1))
        self.assertEqual(total, sent + 8192)

    def test_one_read_receiver_resets_the_sender(self):
        server = self.serve("one_read_receiver.py", env={"TCPLAB_PAUSE": "1"})
        sock = self.connect()
        server.expect(r"^not reading for")
        sock.settimeout(TIMEOUT)
        with self.assertRaises((ConnectionResetError, BrokenPipeError), msg="the receiver closed with bytes unread: an RST"):
            sock.sendall(b"x" * 65536)  # blocks until the receiver reads once, closes, and resets
            sock.recv(16)
        read = int(server.expect(r"^read (\d+) bytes, and that is all").group(1))
        self.assertLess(read, 65536, "one recv() returned only what was in the buffer")

    def test_the_bulk_sender_is_blocked_while_the_window_is_closed(self):
        server = self.serve("slow_receiver.py", env={"TCPLAB_PAUSE": "2"})
        sender = Program("bulk_sender.py", self.port)
        self.addCleanup(sender.stop)
        sender.expect(r"<- blocked")
        sender.expect(r"^sent 65536 bytes and closed")
        server.expect(r"^read 65536 bytes")
        self.assertEqual(sender.wait_end(), 0)


class KeepaliveTests(unittest.TestCase):
    """Lab 14: the keepalive client arms the keepalive timer; the idle client does not."""

    def run_client(self, name):
        listener = socket.create_server((HOST, 0))
        self.addCleanup(listener.close)
        port = listener.getsockname()[1]
        client = Program(name, port)
        self.addCleanup(client.stop)
        listener.settimeout(TIMEOUT)
        conn, peer = listener.accept()
        self.addCleanup(conn.close)
        client.expect(r"waiting in recv\(\)")
        return client, conn, peer[1], port

    def test_keepalive_client_arms_the_timer_and_reads(self):
        client, conn, client_port, port = self.run_client("keepalive_client.py")
        self.assertEqual(keepalive_timer(client_port, port), 2, "timer 2 (keepalive) in /proc/net/tcp")
        # A probe goes out after 1 s of silence; the kernel here answers it: the timer is armed again.
        conn.sendall(b"hello")
        client.expect(r"^recv\(\) returned b'hello'")
        self.assertEqual(client.wait_end(), 0)

    def test_idle_client_has_no_keepalive_timer(self):
        client, conn, client_port, port = self.run_client("idle_client.py")
        self.assertEqual(keepalive_timer(client_port, port), 0, "no timer on an idle connection without keepalive")
        conn.close()
        client.expect(r"^recv\(\) returned b''")


class MessageClientTests(unittest.TestCase):
    """Lab 12: the message client sends and reads its answer; retransmission is the kernel's."""

    def test_sends_and_reads_the_answer(self):
        listener = socket.create_server((HOST, 0))
        self.addCleanup(listener.close)
        client = Program("message_client.py", listener.getsockname()[1])
        self.addCleanup(client.stop)
        listener.settimeout(TIMEOUT)
        conn, _ = listener.accept()
        self.addCleanup(conn.close)
        size = int(client.expect(r"^send\(\) returned at once: (\d+) bytes").group(1))
        conn.sendall(recv_exactly(conn, size))
        client.expect(rf"^answer of {size} bytes")
        self.assertEqual(client.wait_end(), 0)


class EnvironmentTests(unittest.TestCase):
    def test_every_program_reads_tcplab_host_and_port(self):
        programs = sorted(n for n in os.listdir(HERE) if n.endswith(".py") and n != os.path.basename(__file__))
        self.assertGreaterEqual(len(programs), 19)
        for name in programs:
            with open(os.path.join(HERE, name)) as source:
                text = source.read()
            self.assertIn('os.environ.get("TCPLAB_HOST", "127.0.0.1")', text, name)
            self.assertIn('os.environ.get("TCPLAB_PORT", "7777")', text, name)


if __name__ == "__main__":
    unittest.main()
