import Foundation
import Glibc

// Demonstrates: the thread-per-connection server of the posts (Python's threading.Thread per
// conn). The main thread only accept()s; each connection gets a new thread that serves it with
// plain blocking calls and ends when the client leaves. One process, one thread per client
// (visible in /proc/PID/task); the threads share the process's descriptors, so, unlike fork,
// nothing is closed twice.

/// The thread-per-connection echo server of the concurrency scenario's `thread` model.
public struct ThreadEchoServer {
    public var address: SocketAddress
    public var backlog: Int32
    public var readSize: Int

    public init(address: SocketAddress, backlog: Int32, readSize: Int) {
        self.address = address
        self.backlog = backlog
        self.readSize = readSize
    }

    /// Accepts and starts a thread per connection until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = EchoServing.listen(address, backlog: backlog, reporter: reporter)
        var started = 0
        while true {
            let connection = listener.acceptNext()
            started += 1
            // The thread reports under a label of its own (`server thread 2`), so that the calls
            // of two workers running at once can be told apart on the timeline.
            let handoff = Handoff(fd: connection.fd, reporter: reporter.forThread(started), readSize: readSize)
            reporter.note("thread", "new thread \(started) serves fd \(connection.fd)")
            Thread.detachNewThread {
                EchoServing.serveUntilEOF(RoleSocket(fd: handoff.fd, reporter: handoff.reporter), readSize: handoff.readSize)
            }
        }
    }
}

/// What the new thread needs: its descriptor and its own reporter (labelled with the thread).
private struct Handoff: Sendable {
    let fd: Int32
    let reporter: RoleReporter
    let readSize: Int
}
