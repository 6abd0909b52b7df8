import Glibc

// Benchmarks: select(). One thread; every loop rebuilds an fd_set of the listener and all
// connections, select()s, then scans every descriptor below nfds (O(n) per call, in the kernel
// and here). An fd_set holds descriptors 0…1023 only (FD_SETSIZE): a connection accepted as
// descriptor 1024 or above cannot be watched, so this server closes it at once and counts it as
// refused; the load generator sees those clients get no answer. `BenchServer.selectRoom` N opens placeholder
// descriptors first so only N connections fit below 1024, to show the refusal with few clients.

/// The select() model of `tcplab bench concurrency`.
enum BenchSelectServer {
    static func run(listener: Int32, room: Int?, reporter: RoleReporter) -> Never {
        if let room { Placeholders.fill(upTo: Int32(FDSet.capacity - 1 - max(0, room)), reporter: reporter) }
        var connections: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: BenchServing.bufferSize)
        var refused = 0
        while true {
            var readable = FDSet()
            readable.insert(listener)
            var highest = listener
            for fd in connections {
                readable.insert(fd)
                highest = max(highest, fd)
            }
            var ready = readable.raw
            if select(highest + 1, &ready, nil, nil, nil) <= 0 { continue }
            let result = FDSet(raw: ready)
            var index = 0
            while index < connections.count {
                let fd = connections[index]
                if result.contains(fd), BenchServing.echoOnce(fd, &buffer) == .closed {
                    close(fd)
                    connections.swapAt(index, connections.count - 1)
                    connections.removeLast()
                    continue
                }
                index += 1
            }
            if result.contains(listener) {
                let connection = BenchServing.accept(listener)
                guard connection >= 0 else { continue }
                guard Int(connection) < FDSet.capacity else {
                    close(connection)  // cannot be put in an fd_set: refused
                    refused += 1
                    if refused == 1 { reporter.note("refused", "select: fd \(connection) >= FD_SETSIZE (\(FDSet.capacity)): refused") }
                    continue
                }
                connections.append(connection)
            }
        }
    }
}
