import Foundation
import Glibc

/// A pipe a role writes lines to (its reports on descriptor 3, its standard error) as the lab's
/// reader thread works through it, so that the lab can tell when every line a role has written is
/// in the event log: the pipe holds no unread byte (FIONREAD, see pipe(7)) and the reader is not between taking bytes and filing their lines.
///
/// The reader marks itself busy after poll(2) says bytes are there and before it reads them, so a
/// check that finds it idle and the pipe empty cannot miss a line in flight.
final class ReportPipe: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var busy = true
    private var ended = false

    init(fd: Int32) { self.fd = fd }

    /// Reads lines until end of file, handing each to `file`; `idle` is called each time the
    /// reader is about to wait for more.
    func read(_ file: (String) -> Void, idle: () -> Void) {
        var reader = LineReader(fd: fd)
        while true {
            if !reader.hasBufferedLine {
                lock.withLock { busy = false }
                idle()
                var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                while poll(&ready, 1, -1) < 0 && errno == EINTR {}
                lock.withLock { busy = true }
            }
            guard let line = reader.nextLine() else { break }
            file(line)
        }
        lock.withLock {
            ended = true
            close(fd)
        }
    }

    /// Reads until end of file, handing each chunk read to `take` as it comes (strace's output,
    /// whose partial lines matter: `RoleTrace`); `idle` as in `read(_:idle:)`.
    func readChunks(_ take: (ArraySlice<UInt8>) -> Void, idle: () -> Void) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            lock.withLock { busy = false }
            idle()
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while poll(&ready, 1, -1) < 0 && errno == EINTR {}
            lock.withLock { busy = true }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            take(chunk[..<count])
        }
        lock.withLock {
            ended = true
            close(fd)
        }
    }

    /// Whether every byte written so far has been read and its lines filed.
    var caughtUp: Bool {
        lock.withLock {
            if ended { return true }
            if busy { return false }
            var unread: Int32 = 0
            return ioctl(fd, UInt(FIONREAD), &unread) == 0 && unread == 0
        }
    }
}
