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
        private var running = true
        private var finished = false
        private var open: [String: (fd: Int32, pending: [UInt8])] = [:]
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
                    openNew()
                    var pollers = open.values.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                    // allowed: a 100 ms poll also looks for new FIFOs; lines are read as they come.
                    _ = poll(&pollers, nfds_t(pollers.count), 100)
                    drain(hungUp: Set(pollers.filter { $0.revents & Int16(POLLHUP) != 0 }.map(\.fd)))
                }
                lock.withLock {
                    finished = true
                    lock.broadcast()
                }
            }
        }

        /// Stops after handing on every whole line already written.
        public func stop() {
            lock.lock()
            running = false
            while !finished { lock.wait() }
            lock.unlock()
            drain(hungUp: [])
            for (name, entry) in open {
                close(entry.fd)
                unlink(directory + "/" + name)
            }
            open = [:]
        }

        /// Opens FIFOs that appeared since (non-blocking: open(2) of a FIFO for reading returns at once).
        private func openNew() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where name.hasPrefix("trace") && open[name] == nil && !done.contains(name) {
                let fd = Glibc.open(directory + "/" + name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                if fd >= 0 { open[name] = (fd, []) }
            }
        }

        private func drain(hungUp: Set<Int32>) {
            var buffer = [UInt8](repeating: 0, count: 65536)
            for (name, entry) in open {
                var pending = entry.pending
                var ended = false
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                    if count == 0 { ended = hungUp.contains(entry.fd) }
                    guard count > 0 else { break }
                    pending.append(contentsOf: buffer[..<count])
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let text = String(decoding: pending[..<newline], as: UTF8.self)
                        pending.removeSubrange(...newline)
                        guard let parsed = StraceLine.parse(Substring(text)) else { continue }
                        if name.hasPrefix(StraceTrace.shellFIFOPrefix) {
                            var filter = shells[name] ?? ShellTraceFilter()
                            let shown = filter.shows(parsed)
                            shells[name] = filter
                            if !shown { continue }
                        }
                        line(parsed, name)
                    }
                }
                if ended {
                    close(entry.fd)
                    unlink(directory + "/" + name)
                    open[name] = nil
                    done.insert(name)
                } else {
                    open[name] = (entry.fd, pending)
                }
            }
        }
    }
}
