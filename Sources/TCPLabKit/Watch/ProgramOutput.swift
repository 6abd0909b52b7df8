import CPcap
import Foundation
import Glibc

/// The watched program's standard output and error, read through a pseudo-terminal (pty(7)) so
/// that each line the program prints is put on the watch's timeline where the write(2) that
/// printed it returned (traced by strace; where it was read without strace), instead of reaching
/// the terminal ahead of the timeline (which is printed a moment behind the live events,
/// `PortWatch.lag`).
///
/// A pseudo-terminal, not a pipe: the program still sees a terminal (isatty(3)), so its C
/// library or Python keeps line-buffering what it prints instead of holding it until exit.
/// Output processing is off on it (no `\r` added to each newline; termios(3) OPOST).
public final class ProgramOutput: @unchecked Sendable {
    /// The terminal side, for the program's descriptors 1 and 2; closed here once it is spawned (`spawned()`).
    public let terminal: Int32
    private let controller: Int32
    private let lock = NSCondition()
    private var running = true
    private var finished = false
    private var pending: [UInt8] = []
    /// Bytes of the output handed on so far, newlines included.
    private var handedOn = 0
    private var started = false
    private var line: (@Sendable (Int64, String, Int) -> Void)?

    /// Opens the pseudo-terminal; throws a one-line error when none can be had.
    public init() throws(LabError) {
        let controller = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        let terminal = controller >= 0 ? tcplab_open_pty_terminal(controller) : -1
        guard terminal >= 0 else {
            let failure = Errno.current
            if controller >= 0 { close(controller) }
            throw LabError.usage("cannot open a pseudo-terminal for the program's output: \(failure.message.lowercased())")
        }
        var settings = termios()
        if tcgetattr(terminal, &settings) == 0 {
            settings.c_oflag &= ~tcflag_t(OPOST)
            tcsetattr(terminal, TCSANOW, &settings)
        }
        self.controller = controller
        self.terminal = terminal
    }

    /// Closes the lab's copy of the terminal side once the program has it (else the reader would
    /// never see its end).
    public func spawned() { close(terminal) }

    /// Reads on a thread of its own until the program's last holder of the terminal closes it,
    /// or `stop()`; hands on each line (without its newline) with the wall-clock time it was
    /// read, in microseconds, and how many bytes the program had printed once it ended (its
    /// newline included), which the traced write(2) calls place (`WatchCalls.written(through:)`).
    public func start(_ line: @escaping @Sendable (_ time: Int64, _ text: String, _ end: Int) -> Void) {
        lock.withLock {
            started = true
            self.line = line
        }
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                var poller = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
                // allowed: a 100 ms poll so that stop() is noticed; lines are read as they come.
                _ = poll(&poller, 1, 100)
                if !read(line) { break }
            }
            lock.withLock {
                finished = true
                lock.broadcast()
            }
        }
    }

    /// Reads what is there; false once the terminal side is closed by all (EIO, pty(7)).
    private func read(_ line: @Sendable (Int64, String, Int) -> Void) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var ready = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 0) > 0 else { return true }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(controller, $0.baseAddress, $0.count) }
            guard count > 0 else { return !(count == 0 || errno == EIO) }
            let now = WallClock.nowMicroseconds()
            lock.withLock { pending.append(contentsOf: buffer[..<count]) }
            for (text, end) in takeLines(all: false) { line(now, text, end) }
        }
    }

    /// The whole lines pending (and with `all`, the unfinished last one too), each with the
    /// output's length up to its end.
    private func takeLines(all: Bool) -> [(String, Int)] {
        lock.withLock {
            var lines: [(String, Int)] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                handedOn += newline - pending.startIndex + 1
                lines.append((String(decoding: pending[..<newline], as: UTF8.self), handedOn))
                pending.removeSubrange(...newline)
            }
            if all, !pending.isEmpty {
                handedOn += pending.count
                lines.append((String(decoding: pending, as: UTF8.self), handedOn))
                pending = []
            }
            return lines
        }
    }

    /// Stops reading after handing on what was printed (an unfinished last line too); closes the pseudo-terminal.
    public func stop() {
        lock.lock()
        running = false
        while started, !finished { lock.wait() }
        let line = self.line ?? { _, _, _ in }
        lock.unlock()
        _ = read(line)
        let now = WallClock.nowMicroseconds()
        for (text, end) in takeLines(all: true) { line(now, text, end) }
        close(controller)
    }
}
