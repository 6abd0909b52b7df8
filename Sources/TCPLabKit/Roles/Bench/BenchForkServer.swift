import Glibc

// Benchmarks: fork per connection. The parent accept()s and fork()s; each child serves one
// client with blocking calls and exits; the parent closes its copy and reaps exited children
// (SIGCHLD self-pipe, waitpid(-1, WNOHANG) loop). Costs: a fork per connection and a process
// (its own page tables and copied-on-write pages) per client: the summed peak RSS shows it.

/// The fork-per-connection model of `tcplab bench concurrency`.
enum BenchForkServer {
    static func run(listener: Int32, reporter: RoleReporter) -> Never {
        let selfPipe: Int32
        do { selfPipe = try ChildSignal.install() } catch { RoleEnvironment.fail(reporter, error.description) }
        var watched = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: selfPipe, events: Int16(POLLIN), revents: 0)]
        while true {
            if poll(&watched, 2, -1) < 0 { continue }  // EINTR: the SIGCHLD byte is in the pipe
            if watched[1].revents != 0 {
                ChildSignal.drain(selfPipe)
                var status: Int32 = 0
                while waitpid(-1, &status, WNOHANG) > 0 {}
            }
            guard watched[0].revents != 0 else { continue }
            let connection = BenchServing.accept(listener)
            guard connection >= 0 else { continue }
            switch fork() {
            case 0:
                close(listener)
                close(selfPipe)
                BenchServing.echoUntilEOF(connection)
                _exit(0)
            default:
                close(connection)  // the child holds it now (or fork failed and the client sees EOF)
            }
        }
    }
}
