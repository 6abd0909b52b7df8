import Foundation
import Glibc

/// strace(1) running the watched programs, and the FIFO its lines come back through.
///
/// The watch runs its program as `strace -f -ttt -T -q -s 64 -e trace=… -o FIFO -- CMD`;
/// `tcplab watch --join -- CMD` runs its command the same way into the same FIFO, so both
/// programs' calls reach the one timeline. strace writes each line with a single write(2),
/// shorter than PIPE_BUF here, so lines of several writers never mix (pipe(7)).
public enum StraceTrace {
    /// The calls traced: sockets, descriptors that may be sockets, processes, and signals
    /// (strace shows those received without being asked). `?` skips names this architecture lacks.
    static let calls = "trace=socket,bind,listen,accept,accept4,connect,shutdown,close,?send,sendto,sendmsg,?recv,recvfrom,recvmsg,"
        + "read,write,readv,writev,dup,dup2,dup3,%process,kill,tgkill"

    /// The name (up to the joining process's pid) of the FIFO a joined shell's strace writes to:
    /// the reader hands on only the lines of the programs started from the shell that use the
    /// network (`ShellTraceFilter`).
    public static let shellFIFOPrefix = "trace-shell-"

    /// strace's path, or nil when it is not installed (`apt-get install strace`).
    public static func find() -> String? { ToolProcess.find("strace") }

    /// The calls a program waits in for readiness on several descriptors (select(2), poll(2),
    /// epoll_wait(2) and their p-variants), traced by `tcplab check` to judge which a server uses.
    /// aarch64 has only the p-variants (`?` skips the others there).
    static let readinessCalls = ",?select,pselect6,?poll,ppoll,?epoll_wait,epoll_pwait,?epoll_pwait2"

    /// strace's argv, up to and including `--`, writing to `output`; with `readiness`, the
    /// `readinessCalls` too.
    public static func arguments(strace: String, output: String, readiness: Bool = false) -> [String] {
        [strace, "-f", "-ttt", "-T", "-q", "-s", "64", "-e", calls + (readiness ? readinessCalls : ""), "-o", output, "--"]
    }

    /// Reads the strace FIFOs in a watch's rendezvous directory (`WatchRendezvous.traceFIFO` and
    /// those joins make, `trace-PID` and `trace-shell-PID`) on a thread of its own until `stop()`,
    /// handing each whole line to `line`, in the order each strace wrote them (a joined shell's
    /// own lines left out, `shellFIFOPrefix`). One FIFO per strace: strace writes
    /// through stdio, so its partial lines (`accept4(3, ` before `<unfinished ...>`) would mix
    /// with another writer's. A FIFO is opened as soon as it appears (mkfifo(3) then the writer's
    /// open(2) waits for this reader), and closed and removed once its strace has ended (POLLHUP).
    public final class Reader: @unchecked Sendable {
        private let directory: String
        private let lock = NSCondition()
        /// Held while FIFOs are opened or read, by the reader's thread and by `caughtUp()`.
        private let reading = NSLock()
        private var running = true
        private var finished = false
        private var open: [String: (fd: Int32, stream: StraceStream)] = [:]
        /// The pid of the strace writing into a FIFO whose name does not give it (`trace`).
        private var tracers: [String: Int32] = [:]
        /// What of each `trace-shell-PID` FIFO is shown.
        private var shells: [String: ShellTraceFilter] = [:]
        private var done: Set<String> = []
        private let line: @Sendable (StraceLine, String) -> Void

        /// `line` gets each line and the name of the FIFO it came through (`trace`, `trace-PID`…).
        public init(directory: String, line: @escaping @Sendable (StraceLine, String) -> Void) {
            self.directory = directory
            self.line = line
            Thread.detachNewThread { [self] in
                while lock.withLock({ running }) {
                    var pollers = reading.withLock {
                        openNew()
                        return open.values.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                    }
                    // allowed: a 100 ms poll also looks for new FIFOs; lines are read as they come.
                    _ = poll(&pollers, nfds_t(pollers.count), 100)
                    reading.withLock { drain(hungUp: Set(pollers.filter { $0.revents & Int16(POLLHUP) != 0 }.map(\.fd))) }
                }
                lock.withLock {
                    finished = true
                    lock.broadcast()
                }
            }
        }

        /// Says which strace writes into the FIFO named `fifo` (`trace`: the watched program's);
        /// a joined one's pid is in its FIFO's name (the join exec'd strace).
        public func follow(tracer pid: Int32, fifo: String) {
            reading.withLock { tracers[fifo] = pid }
        }

        /// The instant (CLOCK_REALTIME microseconds) up to which every strace still writing has
        /// handed on the calls its tracees began: a segment captured before it can be placed
        /// among them. nil when no strace is known to write. Reads what waits in the FIFOs, and
        /// hands on each call a tracee is still in as `<unfinished ...>` (`StraceStream`), first;
        /// `StraceProgress` says how the instant is known.
        public func caughtUp() -> Int64? {
            reading.withLock {
                let checked = WallClock.nowMicroseconds()
                let idle = open.keys.filter { name in tracer(of: name).map(StraceProgress.isIdle) ?? false }
                drain(hungUp: [])
                for name in open.keys {
                    if let unfinished = open[name]?.stream.unfinished() { handOn(unfinished, from: name) }
                    if idle.contains(name) { open[name]?.stream.idle(at: checked) }
                }
                return open.compactMap { name, entry -> Int64? in
                    tracer(of: name) == nil ? nil : entry.stream.progress.reached ?? .min
                }.min()
            }
        }

        /// The pid of the strace writing into the FIFO named `name`, when known.
        private func tracer(of name: String) -> Int32? {
            tracers[name] ?? Int32(name.split(separator: "-").last ?? "")
        }

        /// Stops after handing on every whole line already written. A joined program's strace
        /// still writing gets its FIFO drained by cat(1) until it ends, so that it neither fails
        /// on every line with EPIPE ("Broken pipe" in the joined terminal) nor blocks its program.
        public func stop() {
            lock.lock()
            running = false
            while !finished { lock.wait() }
            lock.unlock()
            reading.lock()
            defer { reading.unlock() }
            drain(hungUp: [])
            for (name, entry) in open {
                if let pid = tracer(of: name), kill(pid, 0) == 0 { Self.discard(entry.fd) }
                close(entry.fd)
                unlink(directory + "/" + name)
            }
            open = [:]
        }

        /// Starts cat(1) reading `fd` into /dev/null until its writers are gone; not waited for
        /// (it ends with the joined program's strace; init reaps it once the watch has exited).
        private static func discard(_ fd: Int32) {
            guard let cat = ToolProcess.find("cat") else { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)  // cat waits for lines
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, fd, STDIN_FILENO)
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
            var child: pid_t = 0
            let argv = [strdup(cat), nil]
            defer { free(argv[0]) }
            _ = SpawnAttributes.with { attributes in posix_spawn(&child, cat, &actions, &attributes, argv, environ) }
        }

        /// Opens FIFOs that appeared since (non-blocking: open(2) of a FIFO for reading returns at once).
        private func openNew() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where name.hasPrefix("trace") && open[name] == nil && !done.contains(name) {
                let fd = Glibc.open(directory + "/" + name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                if fd >= 0 { open[name] = (fd, StraceStream()) }
            }
        }

        /// Reads every FIFO until it has nothing more; closes those whose strace has ended.
        private func drain(hungUp: Set<Int32>) {
            var buffer = [UInt8](repeating: 0, count: 65536)
            for (name, entry) in open {
                var stream = entry.stream
                var ended = false
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                    if count == 0 { ended = hungUp.contains(entry.fd) }
                    guard count > 0 else { break }
                    for parsed in stream.read(buffer[..<count], at: WallClock.nowMicroseconds()) { handOn(parsed, from: name) }
                }
                if ended {
                    close(entry.fd)
                    unlink(directory + "/" + name)
                    open[name] = nil
                    done.insert(name)
                } else {
                    open[name] = (entry.fd, stream)
                }
            }
        }

        /// Hands `parsed` on, unless it is a joined shell's own (`ShellTraceFilter`).
        private func handOn(_ parsed: StraceLine, from name: String) {
            if name.hasPrefix(StraceTrace.shellFIFOPrefix) {
                var filter = shells[name] ?? ShellTraceFilter()
                let shown = filter.shows(parsed)
                shells[name] = filter
                if !shown { return }
            }
            line(parsed, name)
        }
    }
}
