/// Drives one concurrency run: starts the server and the clients, tells each client when to
/// connect, send and read, and waits on the events that show who is served when.
final class ConcurrencyDriver {
    typealias Model = Concurrency.Model
    let model: Model
    let lab: LabRun
    let count: Int
    private var clients: [RoleProcess] = []
    private var server: RoleProcess?
    /// Each client's own endpoint (`127.0.0.1:41484`), by label, once it has connected.
    private var endpoints: [String: String] = [:]

    init(model: Model, lab: LabRun, clients: Int) {
        self.model = model
        self.lab = lab
        count = clients
    }

    private var port: UInt16 { lab.server.port }
    /// The clients an iterative server makes wait: all but the first.
    private var later: [Int] { count >= 2 ? Array(2...count) : [] }

    func run() throws(LabError) {
        let server = try lab.startServer(.concurrencyServer(model.server(clients: count)))
        self.server = server
        for index in 1...count {
            clients.append(try lab.spawn(Concurrency.label(index), .concurrencyClient))
        }
        // One after the other, so the accept queue holds them in label order.
        for index in 1...count { try connect(index) }
        let list = (1...count).map { "\($0) \(endpoints[Concurrency.label($0)] ?? "?")" }.joined(separator: ", ")
        lab.say("server \(lab.server.description) (pid \(server.pid))   clients \(list)   net: \(lab.isolation.description)")
        lab.say("")
        if model == .iterative { try runIterative() } else { try runConcurrent(server: server) }
    }

    // MARK: iterative

    /// Client 1 is served; the others send their first line and wait (ACKed by the kernel, in
    /// the accept queue); each is answered only once the one before it has left.
    private func runIterative() throws(LabError) {
        try waitForAccepted(1)
        lab.pause("every client sends its first line; only client 1 is being served")
        for index in 1...count { clients[index - 1].send("send \(Concurrency.line(index, 1))") }
        clients[0].send("recv")
        try waitForReplies(1, 1)
        for index in later { try waitForKernelACK(of: index) }
        try lab.waitForSockets(
            "while the server serves client 1", until: "the other clients' connections in the accept queue, their lines unread",
            labels: socketLabels
        ) { table in
            let waiting = self.later.compactMap { self.endpoints[Concurrency.label($0)] }
            let listener = table.entries.first { $0.localPort == self.port && $0.state == .listen }
            return listener?.receiveQueue == UInt32(waiting.count)
                && waiting.allSatisfy { endpoint in
                    table.entries.contains { $0.localPort == self.port && $0.remote == endpoint && $0.receiveQueue > 0 }
                }
        }
        for index in later { clients[index - 1].send("recv") }
        lab.flush()
        for index in 1...count {
            if index > 1 {
                lab.pause("client \(index - 1) has left; the server accepts client \(index)")
                try waitForReplies(index, 1)
            }
            for number in 2...Concurrency.lines { try exchange(index, number) }
            clients[index - 1].send("close")
            try lab.waitForEnd(Concurrency.label(index))
            try waitForClosingSegments(Concurrency.label(index))
            lab.flush()
        }
        try waitForEveryoneGone()
    }

    // MARK: concurrent models

    private func runConcurrent(server: RoleProcess) throws(LabError) {
        try waitForAccepted(count)
        try census("with all \(count) clients connected", server: server) { census in
            switch self.model {
            case .fork: return census.children.count >= self.count
            case .thread: return census.threads >= self.count + 1
            default: return true
            }
        }
        try lab.waitForSockets("with all \(count) clients connected", until: "every client's connection accepted", labels: socketLabels) {
            table in
            table.entries.first { $0.localPort == self.port && $0.state == .listen }?.receiveQueue == 0
        }
        lab.flush()
        for number in 1...Concurrency.lines {
            lab.pause("round \(number): every client sends line \(number), then every client reads its answer")
            for index in 1...count { clients[index - 1].send("send \(Concurrency.line(index, number))") }
            for index in 1...count { clients[index - 1].send("recv") }
            for index in 1...count { try waitForReplies(index, number) }
            lab.flush()
        }
        if model == .select { try lateClient() }
        if model.isEdgeTriggered { try longLine() }
        lab.pause("every client closes its connection")
        for index in 1...count {
            clients[index - 1].send("close")
            try lab.waitForEnd(Concurrency.label(index))
            try waitForClosingSegments(Concurrency.label(index))
        }
        try waitForEveryoneGone()
        try census("after every client left", server: server) { census in
            switch self.model {
            case .fork: return census.children.isEmpty
            case .thread: return census.threads == 1
            default: return true
            }
        }
        lab.flush()
    }

    /// select: one more client arrives when the server's descriptors 0…1023 are taken.
    private func lateClient() throws(LabError) {
        lab.pause("a late client connects: the server's next descriptor is 1024")
        let late = try lab.spawn(Concurrency.lateLabel, .concurrencyClient)
        late.send("connect")
        let connected = try lab.waitForStep(Concurrency.lateLabel, "to connect") { $0.call == "connect" }
        endpoints[Concurrency.lateLabel] = connected.local
        late.send("recv")
        try lab.waitForStep("server", "to refuse the late client's descriptor") { $0.call == "refused" }
        try lab.waitForStep(Concurrency.lateLabel, "to see the server close") { $0.call == "print" }
        late.send("close")
        try lab.waitForEnd(Concurrency.lateLabel)
        try waitForClosingSegments(Concurrency.lateLabel)
        lab.flush()
    }

    /// Edge-triggered epoll: client 1 sends a line longer than one read, the lab looks at the
    /// socket table once the server is back in epoll_wait, then client 1 sends one more line.
    private func longLine() throws(LabError) {
        try waitForServerIdle(after: 0)
        lab.pause("client 1 sends a line longer than the server's \(Concurrency.smallRead)-byte read")
        let before = lab.log.snapshot.steps(of: "server").count
        clients[0].send("send \(Concurrency.longLine)")
        let first = try lab.waitForStep("server", "to read client 1's long line", after: before) {
            $0.call == "recv" && ($0.data ?? "").hasPrefix("client 1 line 4")
        }
        try waitForServerIdle(after: first.ended ?? first.began)
        let client = endpoints[Concurrency.label(1)] ?? "?"
        try lab.waitForSockets(
            "while the server waits in epoll_wait after client 1's long line", until: "client 1's connection in the table",
            labels: socketLabels
        ) { table in
            table.entries.contains { $0.localPort == self.port && $0.remote == client }
        }
        lab.flush()
        lab.pause("client 1 sends one more line")
        clients[0].send("send \(Concurrency.line(1, 5))")
        clients[0].send("recv")
        clients[0].send("recv")
        try waitForReplies(1, Concurrency.lines + 2)
        lab.flush()
    }

    // MARK: waits

    private func connect(_ index: Int) throws(LabError) {
        let label = Concurrency.label(index)
        clients[index - 1].send("connect")
        let connected = try lab.waitForStep(label, "to connect") { $0.call == "connect" }
        if let error = connected.failure {
            throw LabError.role("\(label): connect \(lab.server.description) failed: \(error)")
        }
        endpoints[label] = connected.local
    }

    /// One line: send it, read the answer, wait until the client has it.
    private func exchange(_ index: Int, _ number: Int) throws(LabError) {
        clients[index - 1].send("send \(Concurrency.line(index, number))")
        clients[index - 1].send("recv")
        try waitForReplies(index, number)
    }

    private func waitForReplies(_ index: Int, _ replies: Int) throws(LabError) {
        let label = Concurrency.label(index)
        try lab.log.wait(for: "\(label) to get its answer number \(replies)", timeout: lab.options.timeout) { observation in
            observation.steps(of: label).filter { $0.call == "reply" }.count >= replies ? true : nil
        }
        // The client has it, so it was sent; wait for the capture too, so the timeline prints in order.
        guard let clientPort = endpoints[label].flatMap(Self.port(of:)) else { return }
        let answer = Array("CLIENT \(index) LINE \(replies)".utf8)
        try lab.waitForSegment("the answer to \(label)'s line \(replies) in the capture") {
            $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.payload.contains(answer)
        }
    }

    /// Waits for the server's FIN to a client that has closed, so the capture has caught up with
    /// the close before the timeline is printed. (Not for the client's ACK of it: that one is
    /// often a delayed ACK, 40 ms later.)
    private func waitForClosingSegments(_ label: String) throws(LabError) {
        guard let clientPort = endpoints[label].flatMap(Self.port(of:)) else { return }
        try lab.waitForSegment("the server's FIN to \(label)") {
            $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.flags.contains(.fin)
        }
    }

    private func waitForAccepted(_ connections: Int) throws(LabError) {
        try lab.log.wait(for: "the server to accept \(connections) connection(s)", timeout: lab.options.timeout) { observation in
            observation.steps(of: "server").filter { $0.call == "accept" && $0.ended != nil && $0.errno == nil }.count
                >= connections ? true : nil
        }
    }

    /// Waits until the server's kernel has ACKed client `index`'s first line.
    private func waitForKernelACK(of index: Int) throws(LabError) {
        guard let endpoint = endpoints[Concurrency.label(index)], let clientPort = Self.port(of: endpoint) else { return }
        let data = try lab.waitForSegment("client \(index)'s first line") {
            $0.sourcePort == clientPort && $0.destinationPort == self.port && !$0.payload.isEmpty
        }
        let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
        try lab.waitForSegment("the server kernel's ACK of client \(index)'s first line", after: data.number) {
            $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.flags.contains(.ack)
                && $0.acknowledgmentNumber == end
        }
    }

    /// Waits until the server's newest step is an epoll_wait that started after `time` and has
    /// not returned: the single-threaded server is blocked, waiting for an event.
    private func waitForServerIdle(after time: Int64) throws(LabError) {
        try lab.log.wait(for: "the server to block in epoll_wait", timeout: lab.options.timeout) { observation -> Bool? in
            guard let last = observation.steps(of: "server").last else { return nil }
            return last.call == "epoll_wait" && last.ended == nil && last.began >= time ? true : nil
        }
    }

    /// Waits until no server-side connection is left open (each client's FIN answered by close()).
    private func waitForEveryoneGone() throws(LabError) {
        let all = Set(endpoints.values)
        try lab.waitForSockets("after every client left", until: "the server to close every connection", labels: socketLabels) {
            table in
            !table.entries.contains {
                $0.localPort == self.port && all.contains($0.remote) && [.established, .closeWait].contains($0.state)
            }
        }
        lab.flush()
    }

    /// Polls /proc until `ready` holds for the server's census, then records it as a note.
    private func census(_ moment: String, server: RoleProcess, until ready: @escaping (ProcessCensus) -> Bool) throws(LabError) {
        let pid = server.pid
        let census = try lab.log.poll(for: "the server's processes and threads \(moment)", timeout: lab.options.timeout) {
            ProcessCensus.read(pid: pid).flatMap { ready($0) ? $0 : nil }
        }
        lab.log.note(census.note(moment))
    }

    /// Names each socket by its role: the listener with its accept queue, the server's side of
    /// each client's connection, each client's own side.
    private var socketLabels: (SocketEntry) -> String {
        let byEndpoint = Dictionary(endpoints.map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let port = self.port
        return { entry in
            if entry.localPort == port {
                if entry.state == .listen { return "server (accept queue \(entry.receiveQueue))" }
                return "server for \(byEndpoint[entry.remote] ?? entry.remote)"
            }
            return byEndpoint[entry.local] ?? "client"
        }
    }

    static func port(of endpoint: String) -> UInt16? {
        endpoint.split(separator: ":").last.flatMap { UInt16($0) }
    }
}

fileprivate extension Array where Element == UInt8 {
    /// Whether `part` occurs in these bytes (a payload holding an answer line).
    func contains(_ part: [UInt8]) -> Bool {
        guard !part.isEmpty, part.count <= count else { return part.isEmpty }
        return (0...(count - part.count)).contains { self[$0..<($0 + part.count)].elementsEqual(part) }
    }
}
