import Foundation
import Glibc

// Benchmarks: a thread per connection. The main thread accept()s; each connection gets a new
// thread that echoes with blocking calls until the client leaves. One process, N+1 threads
// (/proc/PID/task), each with its own stack.

/// The thread-per-connection model of `tcplab bench concurrency`.
enum BenchThreadServer {
    static func run(listener: Int32) -> Never {
        while true {
            let connection = BenchServing.accept(listener)
            guard connection >= 0 else { continue }
            Thread.detachNewThread { BenchServing.echoUntilEOF(connection) }
        }
    }
}
