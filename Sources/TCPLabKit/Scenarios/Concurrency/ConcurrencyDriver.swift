/// Drives one concurrency run: starts the server and the clients, tells each client when to
/// connect, send and read, and waits on the events that show who is served when.
final class ConcurrencyDriver {
    typealias Model = Concurrency.Model
    let model: Model
    let lab: LabRun
    let count: Int
    private var clients: [RoleProcess] = []
    /// Each client's own endpoint (`127.0.0.1:41484`), by label, once it has connected.
    private var endpoints: [String: String] = [:]

    init(model: Model, lab: LabRun, clients: Int) {
        self.model = model
        self.lab = lab
        count = clients
    }

    private var port: UInt16 { lab.server.port }

    func run() throws(LabError) {
        let server = try lab.startServer(.concurrencyServer(model.server(clients: count)))
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

    // MARK: client 1 idle while the others are served

    /// Client 1 is served once and then holds its connection open, sending nothing, while every
    /// other client sends its first line and waits for the answer. The lab gives the server
    /// `Concurrency.overlapWindow` to answer them (the capture is watched, nothing is required):
    /// the claims then judge whether it did while client 1 was still connected and idle.
    /// Returns false when client 1's answer did not come (`answerWindow`): then the others are
    /// not started, and the run goes on to its end.
    private func client1Idle() throws(LabError) -> Bool {
        lab.pause("client 1 sends line 1 and reads the answer")
        exchangeStart(1, 1)
        guard try awaitReplies([1], 1) else { return false }
        lab.flush()
        guard count >= 2 else { return true }
        lab.pause("client 1 keeps its connection open and sends nothing; clients 2…\(count) send line 1 and read")
        for index in 2...count { exchangeStart(index, 1) }
        for index in 2...count {
            let line = Concurrency.line(index, 1) + "\n"
            try lab.waitForStep(Concurrency.label(index), "to send line 1") { $0.call == "send" && $0.data == line }
        }
        if model == .iterative {
            for index in 2...count { awaitKernelACK(of: index) }
        }
        let deadline = WallClock.nowMicroseconds() + Int64(Concurrency.overlapWindow * 1_000_000)
        for index in 2...count {
            let left = Double(max(0, deadline - WallClock.nowMicroseconds())) / 1_000_000
            guard let clientPort = endpoints[Concurrency.label(index)].flatMap(Self.port(of:)) else { continue }
            let answer = Array(Concurrency.line(index, 1).uppercased().utf8)
            lab.awaitSegment("the answer to client \(index)'s line 1", within: left) {
                $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.payload.contains(answer)
            }
        }
        return true
    }

    // MARK: iterative

    /// After client 1's idle time: the table (the others wait in the accept queue, their lines
    /// unread); then client 1 finishes and leaves, and each waiting client is served in turn.
    /// An answer that does not come within `answerWindow` ends the exchanges: every client is
    /// told to close, and the run goes on to its end.
    private func runIterative() throws(LabError) {
        try waitForAccepted(1)
        let idle = try client1Idle()
        lab.recordSockets(Concurrency.Moment.whileClient1Idle, labels: socketLabels)
        lab.flush()
        guard idle else { return try closeAll(from: 1) }
        for index in 1...count {
            lab.pause(index == 1
                ? "client 1 sends lines 2 to \(Concurrency.lines), reading each answer, and leaves"
                : "client \(index), accepted once client \(index - 1) left, sends lines 2 to \(Concurrency.lines) and leaves")
            if index > 1 {
                guard try awaitReplies([index], 1) else { return try closeAll(from: index) }
            }
            for number in 2...Concurrency.lines {
                exchangeStart(index, number)
                guard try awaitReplies([index], number) else { return try closeAll(from: index) }
            }
            clients[index - 1].send("close")
            try lab.waitForEnd(Concurrency.label(index))
            awaitServerFIN(Concurrency.label(index))
            lab.flush()
        }
        recordEveryoneGone()
    }

    /// After an answer that did not come: clients `first`… are told to close; each that is not
    /// blocked on its answer ends, the others are left to the teardown (SIGTERM). Bounded by one
    /// `answerWindow` in all; then the table at the end.
    private func closeAll(from first: Int) throws(LabError) {
        lab.pause("an answer did not come: every client is told to close")
        for index in first...count { clients[index - 1].send("close") }
        let deadline = WallClock.nowMicroseconds() + Int64(Concurrency.answerWindow * 1_000_000)
        for index in first...count {
            let left = Double(max(0, deadline - WallClock.nowMicroseconds())) / 1_000_000
            if try lab.awaitEnd(Concurrency.label(index), within: left) != nil { awaitServerFIN(Concurrency.label(index)) }
        }
        recordEveryoneGone()
    }

    // MARK: concurrent models

    private func runConcurrent(server: RoleProcess) throws(LabError) {
        try waitForAccepted(count)
        lab.recordSockets(Concurrency.Moment.allConnected, labels: socketLabels)
        lab.flush()
        var answered = try client1Idle()
        if answered, count >= 2 { answered = try awaitReplies(Array(2...count), 1) }
        lab.recordCensus(Concurrency.Moment.allConnected, pid: server.pid)
        lab.flush()
        if answered { answered = try rounds() }
        if answered, model.hasLateClient { try lateClient() }
        if answered, model.isEdgeTriggered { try longLine() }
        if answered {
            lab.pause("every client closes its connection")
            for index in 1...count {
                clients[index - 1].send("close")
                try lab.waitForEnd(Concurrency.label(index))
                awaitServerFIN(Concurrency.label(index))
            }
            recordEveryoneGone()
        } else {
            try closeAll(from: 1)
        }
        lab.recordCensus(Concurrency.Moment.afterEveryoneLeft, pid: server.pid)
        lab.flush()
    }

    /// Lines 2… in lockstep rounds; false as soon as a round's answers did not all come.
    private func rounds() throws(LabError) -> Bool {
        for number in 2...Concurrency.lines {
            lab.pause("round \(number): every client sends line \(number), then every client reads its answer")
            for index in 1...count { exchangeStart(index, number) }
            guard try awaitReplies(Array(1...count), number) else { return false }
            lab.flush()
        }
        return true
    }

    /// select: one more client arrives when the server's descriptors 0…1023 are taken. The lab
    /// waits (bounded) for the server to close that connection or to end, then for the late
    /// client's read; what the server did is for the claims.
    private func lateClient() throws(LabError) {
        lab.pause("a late client connects: the server's next descriptor is 1024")
        let late = try lab.spawn(Concurrency.lateLabel, .concurrencyClient)
        late.send("connect")
        let connected = try lab.waitForStep(Concurrency.lateLabel, "to connect") { $0.call == "connect" }
        endpoints[Concurrency.lateLabel] = connected.local
        late.send("recv")
        guard let latePort = connected.local.flatMap(Self.port(of:)) else { return }
        let closed = lab.awaitSegment("the server's FIN or RST to the late client", within: Concurrency.segmentWindow) {
            $0.sourcePort == self.port && $0.destinationPort == latePort && ($0.flags.contains(.fin) || $0.flags.contains(.rst))
        }
        if model == .selectUnchecked {
            _ = try? lab.log.wait(for: "the server to end", timeout: Concurrency.segmentWindow) { $0.end(of: "server") }
        }
        // Without a FIN or RST the late client's recv() blocks; the teardown stops it.
        guard closed != nil else { return }
        try lab.waitForStep(Concurrency.lateLabel, "to see the connection end") { $0.call == "print" }
        late.send("close")
        try lab.waitForEnd(Concurrency.lateLabel)
        lab.flush()
    }

    /// Edge-triggered epoll: client 1 sends a line longer than one read, the lab records the
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
        lab.recordSockets(Concurrency.Moment.afterLongLine, labels: socketLabels)
        lab.flush()
        lab.pause("client 1 sends one more line")
        clients[0].send("send \(Concurrency.line(1, 5))")
        clients[0].send("recv")
        clients[0].send("recv")
        try awaitReplies([1], Concurrency.lines + 2)
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

    /// Tells client `index` to send its line `number` and to read the answer.
    private func exchangeStart(_ index: Int, _ number: Int) {
        clients[index - 1].send("send \(Concurrency.line(index, number))")
        clients[index - 1].send("recv")
    }

    /// Waits, all of them within one `answerWindow`, until each client in `indices` has its
    /// answer number `replies`; returns whether they all came. Whether the server answered is for
    /// the claims: a missing answer ends the exchanges, never the run.
    @discardableResult
    private func awaitReplies(_ indices: [Int], _ replies: Int) throws(LabError) -> Bool {
        let deadline = WallClock.nowMicroseconds() + Int64(Concurrency.answerWindow * 1_000_000)
        var all = true
        for index in indices {
            let label = Concurrency.label(index)
            let left = Double(max(0, deadline - WallClock.nowMicroseconds())) / 1_000_000
            let came = try lab.awaitObservation("\(label) to get its answer number \(replies)", within: left) { observation in
                observation.steps(of: label).filter { $0.call == "reply" }.count >= replies ? true : nil
            }
            guard came != nil else {
                all = false
                continue
            }
            // The client has it, so it was sent; wait for the capture too, so the timeline prints in order.
            guard let clientPort = endpoints[label].flatMap(Self.port(of:)) else { continue }
            let answer = Array("CLIENT \(index) LINE \(replies)".utf8)
            try lab.waitForSegment("the answer to \(label)'s line \(replies) in the capture") {
                $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.payload.contains(answer)
            }
        }
        return all
    }

    /// Watches the capture (bounded) for the server's FIN to a client that has closed, so the
    /// timeline prints the close before what follows. (Not for the client's ACK of it: that one is
    /// often a delayed ACK, 40 ms later.)
    private func awaitServerFIN(_ label: String) {
        guard let clientPort = endpoints[label].flatMap(Self.port(of:)) else { return }
        lab.awaitSegment("the server's FIN to \(label)", within: Concurrency.segmentWindow) {
            $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.flags.contains(.fin)
        }
    }

    private func waitForAccepted(_ connections: Int) throws(LabError) {
        try lab.log.wait(for: "the server to accept \(connections) connection(s)", timeout: lab.options.timeout) { observation in
            observation.steps(of: "server").filter { $0.call == "accept" && $0.ended != nil && $0.errno == nil }.count
                >= connections ? true : nil
        }
    }

    /// Watches the capture (bounded) for client `index`'s first line and the server kernel's ACK of it.
    private func awaitKernelACK(of index: Int) {
        guard let endpoint = endpoints[Concurrency.label(index)], let clientPort = Self.port(of: endpoint),
              let data = lab.awaitSegment("client \(index)'s first line", within: Concurrency.segmentWindow, {
                  $0.sourcePort == clientPort && $0.destinationPort == self.port && !$0.payload.isEmpty
              })
        else { return }
        let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
        lab.awaitSegment("the server kernel's ACK of client \(index)'s first line", within: Concurrency.segmentWindow, after: data.number) {
            $0.sourcePort == self.port && $0.destinationPort == clientPort && $0.flags.contains(.ack) && $0.acknowledgmentNumber == end
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

    /// Records the table once every client has left (whatever is still open).
    private func recordEveryoneGone() {
        lab.recordSockets(Concurrency.Moment.afterEveryoneLeft, labels: socketLabels)
        lab.flush()
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

extension Array where Element == UInt8 {
    /// Whether `part` occurs in these bytes (a payload holding an answer line).
    func contains(_ part: [UInt8]) -> Bool {
        guard !part.isEmpty, part.count <= count else { return part.isEmpty }
        return (0...(count - part.count)).contains { self[$0..<($0 + part.count)].elementsEqual(part) }
    }
}
