import Glibc

// Benchmarks: the iterative server. accept(), echo that one client until its FIN, accept the
// next. Every other client waits in the accept queue, so at N clients the last one's first
// answer comes after the N-1 before it have finished: latency grows with N, throughput does not.

/// The iterative model of `tcplab bench concurrency`: one connection at a time.
enum BenchIterativeServer {
    static func run(listener: Int32) -> Never {
        while true {
            let connection = BenchServing.accept(listener)
            guard connection >= 0 else { continue }
            BenchServing.echoUntilEOF(connection)  // nobody else is served meanwhile
        }
    }
}
