import Glibc

// Benchmarks: poll(). One thread, one loop over an array of struct pollfd: no FD_SETSIZE limit,
// but the kernel checks every entry on every call and the loop scans them all for revents, so
// each call costs O(connections) even when one client is ready.

/// The poll() model of `tcplab bench concurrency`.
enum BenchPollServer {
    static func run(listener: Int32) -> Never {
        var watched = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: BenchServing.bufferSize)
        while true {
            if poll(&watched, nfds_t(watched.count), -1) <= 0 { continue }
            var index = 1
            while index < watched.count {
                if watched[index].revents != 0, BenchServing.echoOnce(watched[index].fd, &buffer) == .closed {
                    close(watched[index].fd)
                    watched.swapAt(index, watched.count - 1)  // keep the array dense
                    watched.removeLast()
                    continue  // the swapped-in entry has not been looked at yet
                }
                watched[index].revents = 0
                index += 1
            }
            if watched[0].revents != 0 {
                let connection = BenchServing.accept(listener)
                if connection >= 0 { watched.append(pollfd(fd: connection, events: Int16(POLLIN), revents: 0)) }
            }
        }
    }
}
