import Glibc

extension Concurrency {
    /// The claims of the chosen model, each judged from the capture, the steps, the socket
    /// snapshots and the /proc census notes.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = ConcurrencyEvidence(observation, port: lab.server.port, clients: lab.clients ?? Self.defaultClients)
        var claims = [evidence.allServed()]
        // With one client there is nobody to serve while client 1 sits idle.
        let overlap = evidence.count > 1 ? [evidence.servedConcurrently()] : []
        switch model {
        case .iterative:
            if evidence.count > 1 {
                claims += [evidence.servedOneAtATime(), evidence.laterClientsQueued(), evidence.ackedBeforeAccept(),
                           evidence.answeredAfterPreviousFIN()]
            }
        case .fork: claims += overlap + [evidence.processPerClient(), evidence.childrenReaped()]
        case .thread: claims += overlap + [evidence.threadPerClient(), evidence.threadsEnd()]
        case .select: claims += overlap + [evidence.singleThread(), evidence.fdSetSizeRefused()]
        case .selectUnchecked: claims += overlap + [evidence.singleThread(untilTheEnd: false), evidence.fdSetSizeAborts()]
        case .poll, .epoll: claims += overlap + [evidence.singleThread()]
        case .epollET: claims += overlap + [evidence.singleThread(), evidence.edgeDrains()]
        case .epollETOnce: claims += overlap + [evidence.singleThread(), evidence.edgeOnceStalls()]
        }
        return claims
    }
}

/// Finds the concurrency story's evidence in an observation.
struct ConcurrencyEvidence {
    let observation: Observation
    let port: UInt16
    let count: Int
    let start: Int64

    init(_ observation: Observation, port: UInt16, clients: Int) {
        self.observation = observation
        self.port = port
        count = clients
        start = observation.segments.first?.time ?? observation.steps.first?.began ?? 0
    }

    private var indices: ClosedRange<Int> { 1...count }
    private func ms(_ time: Int64) -> String { "+\(Double((time - start) / 100) / 10) ms" }
    private func steps(_ label: String) -> [RoleStep] { observation.steps(of: label) }
    private func endpoint(_ label: String) -> String? { steps(label).first { $0.call == "connect" }?.local }
    private func clientPort(_ label: String) -> UInt16? { endpoint(label).flatMap(ConcurrencyDriver.port(of:)) }
    private func text(_ segment: CapturedSegment) -> String { String(decoding: segment.segment.payload, as: UTF8.self) }
    private func sent(_ index: Int) -> [String] {
        steps(Concurrency.label(index)).filter { $0.call == "send" }.compactMap { $0.data.map { String($0.dropLast()) } }
    }
    private func replies(_ index: Int) -> [RoleStep] { steps(Concurrency.label(index)).filter { $0.call == "reply" } }
    private func replyText(_ step: RoleStep) -> String { String(step.text.dropFirst("reply: ".count)) }

    /// The first segment from the server to `clientPort` whose payload contains `text`.
    private func segment(fromServerTo clientPort: UInt16, containing text: String) -> CapturedSegment? {
        observation.segments.first {
            $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && self.text($0).contains(text)
        }
    }

    private func census(_ moment: Concurrency.Moment) -> ProcessCensus? { observation.census(at: moment) }

    // MARK: every model

    func allServed() -> Claim {
        Claim.check("all-served", "every client got every line it sent back, upper-cased, in order", {
            var total = 0
            for index in indices {
                let lines = sent(index)
                let answers = replies(index).map(replyText)
                guard lines.count >= Concurrency.lines else {
                    return .failure(Unseen("client \(index) sent \(lines.count) line(s)"))
                }
                guard answers == lines.map({ $0.uppercased() }) else {
                    return .failure(Unseen("client \(index) sent \(lines) and got back \(answers)"))
                }
                total += lines.count
            }
            return .success("\(count) client(s), \(total) lines, each answered")
        }())
    }

    /// Client 1's idle time in the capture: from the server's answer to its line 1 to client 1's
    /// next segment that carries data or ends the connection (nil: none in the capture).
    private struct IdleGap {
        var from: CapturedSegment
        var until: CapturedSegment?
        func contains(_ segment: CapturedSegment) -> Bool { segment.number > from.number && segment.number < (until?.number ?? .max) }
        var display: String {
            "client 1 idle from its answer #\(from.number) to " + (until.map { "its next segment #\($0.number)" } ?? "the end of the capture")
        }
    }

    private func idleGap() -> Result<IdleGap, Unseen> {
        guard let port1 = clientPort(Concurrency.label(1)) else { return .failure(Unseen("client 1 never connected")) }
        guard let from = segment(fromServerTo: port1, containing: Concurrency.line(1, 1).uppercased()) else {
            return .failure(Unseen("no answer to client 1's line 1 in the capture"))
        }
        let until = observation.segments.first {
            $0.number > from.number && $0.segment.sourcePort == port1 && $0.segment.destinationPort == port
                && (!$0.segment.payload.isEmpty || $0.segment.flags.contains(.fin) || $0.segment.flags.contains(.rst))
        }
        return .success(IdleGap(from: from, until: until))
    }

    /// The server's answer to client `index`'s line 1, if it is in the capture.
    private func firstAnswer(_ index: Int) -> CapturedSegment? {
        clientPort(Concurrency.label(index)).flatMap { segment(fromServerTo: $0, containing: Concurrency.line(index, 1).uppercased()) }
    }

    func servedConcurrently() -> Claim {
        Claim.check("served-concurrently", "while client 1 held its connection open and idle (served once, not closed), the server answered every other client: an iterative server cannot", {
            let gap: IdleGap
            switch idleGap() { case .success(let found): gap = found; case .failure(let unseen): return .failure(unseen) }
            var parts: [String] = []
            for index in indices where index > 1 {
                guard let answer = firstAnswer(index) else { return .failure(Unseen("client \(index)'s line 1 was never answered; \(gap.display)")) }
                guard gap.contains(answer) else {
                    return .failure(Unseen("client \(index)'s answer #\(answer.number) came outside client 1's idle time: \(gap.display)"))
                }
                parts.append("client \(index) answered #\(answer.number)")
            }
            return .success("\(gap.display); meanwhile " + parts.joined(separator: ", "))
        }())
    }

    // MARK: iterative

    func servedOneAtATime() -> Claim {
        Claim.check("served-one-at-a-time", "while client 1 held its connection open and idle, no other client was answered: their first lines arrived and waited", {
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            let gap: IdleGap
            switch idleGap() { case .success(let found): gap = found; case .failure(let unseen): return .failure(unseen) }
            guard let end = gap.until else { return .failure(Unseen("client 1 never went on after its answer #\(gap.from.number)")) }
            var parts: [String] = []
            for index in indices where index > 1 {
                guard let clientPort = clientPort(Concurrency.label(index)),
                      let line = observation.segments.first(where: {
                          $0.segment.sourcePort == clientPort && $0.segment.destinationPort == port && !$0.segment.payload.isEmpty
                      })
                else { return .failure(Unseen("client \(index) sent nothing")) }
                guard gap.contains(line) else {
                    return .failure(Unseen("client \(index)'s line #\(line.number) came outside client 1's idle time: \(gap.display)"))
                }
                if let answer = observation.segments.first(where: {
                    gap.contains($0) && $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && !$0.segment.payload.isEmpty
                }) {
                    return .failure(Unseen("client \(index) was answered (#\(answer.number)) while client 1 was idle: \(gap.display)"))
                }
                parts.append("client \(index)'s line #\(line.number) unanswered for \(Double((end.time - line.time) / 1000)) ms")
            }
            return .success("\(gap.display); " + parts.joined(separator: ", "))
        }())
    }

    func laterClientsQueued() -> Claim {
        Claim.check("accept-queue", "while client 1 was served, the other clients' connections waited in the listener's accept queue with their first line unread", {
            guard let snapshot = observation.sockets(at: Concurrency.Moment.whileClient1Idle) else {
                return .failure(Unseen("no socket snapshot while the server served client 1"))
            }
            let listener = snapshot.table.entries.first { $0.localPort == port && $0.state == .listen }
            guard let queue = listener?.receiveQueue, queue == UInt32(count - 1) else {
                return .failure(Unseen("accept queue \(listener.map { String($0.receiveQueue) } ?? "? (no listener)"), expected \(count - 1)"))
            }
            var parts = ["listener accept queue \(queue)"]
            for index in 2...count {
                guard let endpoint = endpoint(Concurrency.label(index)),
                      let entry = snapshot.table.entries.first(where: { $0.localPort == port && $0.remote == endpoint })
                else { return .failure(Unseen("client \(index)'s connection is not in the snapshot")) }
                guard entry.state == .established, entry.receiveQueue > 0 else {
                    return .failure(Unseen("client \(index)'s connection \(entry.state.name) Recv-Q \(entry.receiveQueue)"))
                }
                parts.append("client \(index) ESTABLISHED Recv-Q \(entry.receiveQueue)")
            }
            return .success(parts.joined(separator: ", "))
        }())
    }

    func ackedBeforeAccept() -> Claim {
        Claim.check("acked-before-accept", "each waiting client's first line was ACKed by the server's kernel before the server process even accept()ed the connection", {
            var parts: [String] = []
            for index in 2...count {
                let label = Concurrency.label(index)
                guard let endpoint = endpoint(label), let clientPort = clientPort(label) else {
                    return .failure(Unseen("\(label) never connected"))
                }
                guard let data = observation.segments.first(where: {
                    $0.segment.sourcePort == clientPort && $0.segment.destinationPort == port && !$0.segment.payload.isEmpty
                }) else { return .failure(Unseen("no data segment from \(label)")) }
                let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
                guard let ack = observation.segments.first(where: {
                    $0.number > data.number && $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort
                        && $0.segment.acknowledgmentNumber == end
                }) else { return .failure(Unseen("\(label)'s line #\(data.number) was never ACKed")) }
                guard let accept = steps("server").first(where: { $0.call == "accept" && $0.peer == endpoint }),
                      let accepted = accept.ended
                else { return .failure(Unseen("the server never accepted \(label)")) }
                guard accepted > ack.time else {
                    return .failure(Unseen("\(label) was accepted at \(ms(accepted)), before the ACK #\(ack.number) at \(ms(ack.time))"))
                }
                parts.append("\(label): line #\(data.number) ACKed #\(ack.number) at \(ms(ack.time)), accept() returned at \(ms(accepted))")
            }
            return .success(parts.joined(separator: "; "))
        }())
    }

    func answeredAfterPreviousFIN() -> Claim {
        Claim.check("answered-after-previous-fin", "each waiting client got its first answer only after the client before it had sent its FIN", {
            let accepted = steps("server").filter { $0.call == "accept" && $0.errno == nil }.compactMap(\.peer)
            let order = accepted.compactMap { peer in indices.first { endpoint(Concurrency.label($0)) == peer } }
            guard order.count == count else { return .failure(Unseen("the server accepted \(order.count) of \(count) clients")) }
            var parts: [String] = []
            for (previous, current) in zip(order, order.dropFirst()) {
                guard let previousPort = clientPort(Concurrency.label(previous)),
                      let currentPort = clientPort(Concurrency.label(current)),
                      let fin = observation.segments.first(where: {
                          $0.segment.sourcePort == previousPort && $0.segment.destinationPort == port && $0.segment.flags.contains(.fin)
                      })
                else { return .failure(Unseen("no FIN from client \(previous)")) }
                guard let answer = segment(fromServerTo: currentPort, containing: "CLIENT \(current) LINE 1") else {
                    return .failure(Unseen("no answer to client \(current)'s line 1"))
                }
                guard answer.number > fin.number else {
                    return .failure(Unseen("client \(current)'s answer #\(answer.number) came before client \(previous)'s FIN #\(fin.number)"))
                }
                parts.append("client \(previous) FIN #\(fin.number) -> client \(current) answered #\(answer.number)")
            }
            return .success(parts.joined(separator: "; "))
        }())
    }

    // MARK: fork, thread, single thread

    func processPerClient() -> Claim {
        Claim.check("process-per-client", "with all clients connected, the server had one child process per client", {
            guard let census = census(.allConnected) else { return .failure(Unseen("no /proc census with all clients connected")) }
            guard census.children.count == count else {
                return .failure(Unseen("server pid \(census.pid) had \(census.children.count) children for \(count) clients"))
            }
            return .success("/proc: server pid \(census.pid) had \(count) children (\(census.children.map(String.init).joined(separator: " ")))")
        }())
    }

    func childrenReaped() -> Claim {
        Claim.check("children-reaped", "every child was reaped (SIGCHLD, waitpid): none left, none defunct", {
            let reaped = Set(steps("server").filter { $0.call == "waitpid" }.compactMap(\.returnValue).filter { $0 > 0 }.map { Int32($0) })
            guard let during = census(.allConnected), let after = census(.afterEveryoneLeft) else {
                return .failure(Unseen("no /proc census before and after"))
            }
            guard Set(during.children).isSubset(of: reaped) else {
                return .failure(Unseen("waitpid reaped \(reaped.sorted()), children were \(during.children)"))
            }
            guard after.children.isEmpty, after.defunct == 0 else {
                return .failure(Unseen("after every client left: \(after.children.count) children, \(after.defunct) defunct"))
            }
            return .success("waitpid(-1, WNOHANG) reaped \(reaped.sorted().map(String.init).joined(separator: " ")); /proc after: no children")
        }())
    }

    func threadPerClient() -> Claim {
        Claim.check("thread-per-client", "with all clients connected, the server ran one thread per client besides its main thread, in one process", {
            guard let census = census(.allConnected) else { return .failure(Unseen("no /proc census with all clients connected")) }
            guard census.threads == count + 1, census.children.isEmpty else {
                return .failure(Unseen("server pid \(census.pid): \(census.threads) threads, \(census.children.count) children for \(count) clients"))
            }
            return .success("/proc/\(census.pid)/task: \(census.threads) threads (main + \(count)), no child processes")
        }())
    }

    func threadsEnd() -> Claim {
        Claim.check("threads-end", "each worker thread ended with its client: after they left only the main thread remained", {
            guard let census = census(.afterEveryoneLeft) else { return .failure(Unseen("no /proc census after the clients left")) }
            guard census.threads == 1 else { return .failure(Unseen("\(census.threads) threads after every client left")) }
            return .success("/proc/\(census.pid)/task: 1 thread")
        }())
    }

    /// `untilTheEnd`: judge the census after the clients left too (not for a server that died on the way).
    func singleThread(untilTheEnd: Bool = true) -> Claim {
        Claim.check("single-thread", "one process with one thread served every client: no children, no worker threads", {
            guard let during = census(.allConnected) else { return .failure(Unseen("no /proc census with all clients connected")) }
            var censuses = [during]
            if untilTheEnd {
                guard let after = census(.afterEveryoneLeft) else { return .failure(Unseen("no /proc census after the clients left")) }
                censuses.append(after)
            }
            for census in censuses where census.threads != 1 || !census.children.isEmpty {
                return .failure(Unseen("/proc \(census.moment): server pid \(census.pid): \(census.threads) threads, \(census.children.count) children"))
            }
            return .success("/proc: server pid \(during.pid), 1 thread, no children, with all \(count) clients connected")
        }())
    }

    // MARK: select

    /// The server's accept() of the late client and the server's calls after it.
    private func lateAccept() -> Result<(accept: RoleStep, fd: Int, after: [RoleStep]), Unseen> {
        guard let endpoint = endpoint(Concurrency.lateLabel) else { return .failure(Unseen("the late client never connected")) }
        let server = steps("server").filter { !$0.isNote }
        guard let index = server.firstIndex(where: { $0.call == "accept" && $0.peer == endpoint }),
              let fd = server[index].returnValue
        else { return .failure(Unseen("the server never accepted the late client")) }
        guard fd >= FDSet.capacity else { return .failure(Unseen("accept() returned fd \(fd) for the late client, below FD_SETSIZE (\(FDSet.capacity))")) }
        return .success((server[index], Int(fd), Array(server[(index + 1)...])))
    }

    /// The late client's read that saw the connection end: recv() = 0 or ECONNRESET.
    private func lateEnd() -> Result<RoleStep, Unseen> {
        let late = steps(Concurrency.lateLabel)
        guard let end = late.first(where: { $0.call == "recv" && ($0.returnValue == 0 || $0.failure == .connectionReset) }) else {
            return .failure(Unseen("the late client's recv: \(late.first { $0.call == "recv" }?.display ?? "none")"))
        }
        return .success(end)
    }

    func fdSetSizeRefused() -> Claim {
        Claim.check("fd-setsize-refused", "the careful server checks each descriptor before FD_SET: accept() returned fd 1024 (>= FD_SETSIZE) for the late client, and the server closed it at once, never handing it to select(); the late client read the end of the connection, and select() went on for the others", {
            let accepted: (accept: RoleStep, fd: Int, after: [RoleStep])
            switch lateAccept() { case .success(let found): accepted = found; case .failure(let unseen): return .failure(unseen) }
            guard let next = accepted.after.first, next.call == "close" else {
                return .failure(Unseen("after accept() = \(accepted.fd) the server's next call was \(accepted.after.first?.display ?? "none")"))
            }
            let end: RoleStep
            switch lateEnd() { case .success(let found): end = found; case .failure(let unseen): return .failure(unseen) }
            guard let select = accepted.after.dropFirst().first(where: { $0.call == "select" }) else {
                return .failure(Unseen("no select() after the server closed fd \(accepted.fd)"))
            }
            return .success("server accept() = \(accepted.fd), then \(next.display), then \(select.text); late client \(end.display)")
        }())
    }

    func fdSetSizeAborts() -> Claim {
        Claim.check("fd-setsize-abort", "glibc's checked FD_SET (_FORTIFY_SOURCE=2) aborts a program that puts descriptor 1024 into an fd_set: accept() returned fd 1024 for the late client, the server died of SIGABRT before its next select(), and the late client read the end of the connection", {
            let accepted: (accept: RoleStep, fd: Int, after: [RoleStep])
            switch lateAccept() { case .success(let found): accepted = found; case .failure(let unseen): return .failure(unseen) }
            if let select = accepted.after.first(where: { $0.call == "select" }) {
                return .failure(Unseen("after accept() = \(accepted.fd) the server called \(select.display)"))
            }
            guard let death = observation.end(of: "server"), death.termination == .signaled(SIGABRT) else {
                return .failure(Unseen("the server \(observation.end(of: "server")?.termination.description ?? "never ended")"))
            }
            let end: RoleStep
            switch lateEnd() { case .success(let found): end = found; case .failure(let unseen): return .failure(unseen) }
            return .success("server accept() = \(accepted.fd), then \(death.termination); late client \(end.display)")
        }())
    }

    // MARK: edge-triggered epoll

    /// The long line's story: the server's first read of it, the table snapshot while the server
    /// waited, client 1's next line and the answer to the long one.
    private struct LongLine {
        var firstRead: RoleStep
        var unread: UInt32
        var nextLine: CapturedSegment
        var answer: CapturedSegment
    }

    private func longLine() -> Result<LongLine, Unseen> {
        let server = steps("server")
        guard let first = server.first(where: { $0.call == "recv" && ($0.data ?? "").hasPrefix("client 1 line 4") }) else {
            return .failure(Unseen("the server never read client 1's long line"))
        }
        guard let port1 = clientPort(Concurrency.label(1)), let endpoint1 = endpoint(Concurrency.label(1)),
              let snapshot = observation.sockets(at: Concurrency.Moment.afterLongLine),
              let entry = snapshot.table.entries.first(where: { $0.localPort == port && $0.remote == endpoint1 })
        else { return .failure(Unseen("no socket snapshot of client 1's connection after the long line")) }
        guard let next = observation.segments.first(where: {
            $0.segment.sourcePort == port1 && text($0).contains(Concurrency.line(1, 5))
        }) else { return .failure(Unseen("client 1's next line never went out")) }
        guard let answer = segment(fromServerTo: port1, containing: "CLIENT 1 LINE 4") else {
            return .failure(Unseen("the long line was never answered"))
        }
        return .success(LongLine(firstRead: first, unread: entry.receiveQueue, nextLine: next, answer: answer))
    }

    func edgeDrains() -> Claim {
        Claim.check("et-drains", "reading until EAGAIN, the edge-triggered server answered the long line at once, leaving nothing in its Recv-Q", {
            let story: LongLine
            switch longLine() { case .success(let found): story = found; case .failure(let unseen): return .failure(unseen) }
            let reads = steps("server").filter { $0.call == "recv" && $0.began >= story.firstRead.began && $0.began < story.nextLine.time }
            guard let eagain = reads.first(where: { $0.failure == .wouldBlock }) else {
                return .failure(Unseen("no recv() = EAGAIN after the long line: \(reads.map(\.display))"))
            }
            guard story.unread == 0 else { return .failure(Unseen("Recv-Q \(story.unread) while the server waited")) }
            guard story.answer.number < story.nextLine.number else {
                return .failure(Unseen("the answer #\(story.answer.number) came after client 1's next line #\(story.nextLine.number)"))
            }
            let counts = reads.prefix { $0.failure == nil }.compactMap(\.returnValue).map(String.init).joined(separator: " + ")
            return .success("reads \(counts) bytes, then \(eagain.display); Recv-Q 0 in epoll_wait; answer #\(story.answer.number) before the next line #\(story.nextLine.number)")
        }())
    }

    func edgeOnceStalls() -> Claim {
        Claim.check("et-once-stalls", "reading once per edge, the server stalled with the rest of the long line in its Recv-Q, until more data arrived", {
            let story: LongLine
            switch longLine() { case .success(let found): story = found; case .failure(let unseen): return .failure(unseen) }
            guard story.unread > 0 else { return .failure(Unseen("Recv-Q 0 while the server waited: nothing was left behind")) }
            guard let wait = steps("server").first(where: { $0.call == "epoll_wait" && $0.began >= (story.firstRead.ended ?? story.firstRead.began) }),
                  let woke = wait.ended
            else { return .failure(Unseen("no epoll_wait after the first read of the long line")) }
            guard woke >= story.nextLine.time else {
                return .failure(Unseen("epoll_wait returned at \(ms(woke)), before client 1's next line #\(story.nextLine.number)"))
            }
            guard story.answer.number > story.nextLine.number else {
                return .failure(Unseen("the answer #\(story.answer.number) came before client 1's next line #\(story.nextLine.number)"))
            }
            let read = story.firstRead.returnValue ?? 0
            return .success("one recv() took \(read) of \(Concurrency.longLine.count + 1) bytes; epoll_wait then blocked with Recv-Q \(story.unread) until client 1's next line #\(story.nextLine.number); answer #\(story.answer.number)")
        }())
    }
}
