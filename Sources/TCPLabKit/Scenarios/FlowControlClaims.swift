import Foundation

extension FlowControl {
    /// The claims of the chosen variant, each judged from the capture, the roles' steps and /proc.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = FlowControlEvidence(facts: FlowControlFacts(observation, serverPort: lab.server.port), bytes: Self.bytes)
        return [
            evidence.windowShrinks(),
            blocking ? evidence.sendBlocked() : evidence.eagain(),
            evidence.queuesFull(),
            evidence.persistProbes(),
            evidence.windowUpdate(),
            evidence.dataFlows(),
        ]
    }
}

/// The flow-control story's claims, computed from `FlowControlFacts`.
struct FlowControlEvidence {
    let facts: FlowControlFacts
    /// How many bytes the client was to write.
    let bytes: Int

    func windowShrinks() -> Claim {
        Claim.check("window-shrinks", "as the server's receive buffer filled, the window it advertised shrank to 0 bytes ([TCP ZeroWindow]): the client had to stop sending", {
            let acks = facts.serverAcks
            guard let zero = facts.zeroWindow else {
                let smallest = acks.filter { !$0.segment.flags.contains(.syn) }.map { facts.windowBytes($0) }.min()
                return .failure(Unseen("no zero window from the server; its smallest window was \(smallest.map { "\($0) bytes" } ?? "never advertised")"))
            }
            // The windows up to the zero window, each change once: 4096 (SYN-ACK) → 2048 → 0.
            var steps: [String] = []
            var last: UInt32?
            for ack in acks where ack.number <= zero.number {
                let window = facts.windowBytes(ack)
                if window != last { steps.append("\(window) (#\(ack.number))") }
                last = window
            }
            guard steps.count >= 2 else { return .failure(Unseen("the server's first window was already 0 (#\(zero.number))")) }
            guard facts.acknowledged(by: zero.time) > 0 else {
                return .failure(Unseen("the zero window (#\(zero.number)) acknowledged no client data"))
            }
            return .success("the server's window in bytes: " + steps.joined(separator: " → ")
                + "; #\(zero.number) acknowledges \(facts.acknowledged(by: zero.time)) bytes and offers 0")
        }())
    }

    func sendBlocked() -> Claim {
        Claim.check("send-blocked", "the client's send() blocked while the window was closed: it was still in the call at the zero window and returned only after the window update", {
            guard let send = facts.sends.first else { return .failure(Unseen("the client made no send()")) }
            guard let zero = facts.zeroWindow else { return .failure(Unseen("no zero window to block on; \(send.display)")) }
            guard let update = facts.windowUpdate else { return .failure(Unseen("no window update; \(send.display)")) }
            guard let ended = send.ended else { return .failure(Unseen("\(send.display): it never returned")) }
            guard send.began < zero.time else { return .failure(Unseen("send() began at \(facts.at(send.began)), after the zero window #\(zero.number)")) }
            guard ended > update.time else {
                return .failure(Unseen("\(send.display) returned at \(facts.at(ended)), before the window update #\(update.number) at \(facts.at(update.time))"))
            }
            return .success("\(send.display) began at \(facts.at(send.began)), was blocked at the zero window #\(zero.number) (\(facts.at(zero.time))) "
                + "and returned at \(facts.at(ended)), after the window update #\(update.number) (\(facts.at(update.time)))")
        }())
    }

    func eagain() -> Claim {
        Claim.check("eagain", "the non-blocking send() returned -1 EAGAIN once the send buffer was full, and the poll(POLLOUT) after it waited until after the window update", {
            let sends = facts.sends
            let refused = sends.filter { $0.failure == .wouldBlock }
            guard !refused.isEmpty else {
                return .failure(Unseen("no send() returned EAGAIN: " + sends.prefix(4).map(\.display).joined(separator: ", ")))
            }
            guard let update = facts.windowUpdate else { return .failure(Unseen("no window update; \(refused.count) × EAGAIN")) }
            guard let poll = facts.polls.first(where: { $0.began < update.time && ($0.ended ?? .max) > update.time }), let ended = poll.ended else {
                let polls = facts.polls.map { "poll \(facts.at($0.began))–\($0.ended.map(facts.at) ?? "never")" }
                return .failure(Unseen("no poll(POLLOUT) waited across the window update #\(update.number) (\(facts.at(update.time))): "
                    + (polls.isEmpty ? "no poll()" : polls.joined(separator: ", "))))
            }
            let accepted = sends.filter { ($0.returnValue ?? 0) > 0 }.map { String($0.returnValue!) }
            return .success("\(refused.count) × send() = -1 EAGAIN; the poll(POLLOUT) begun at \(facts.at(poll.began)) returned at \(facts.at(ended)), "
                + "after the window update #\(update.number) (\(facts.at(update.time))); the send()s took " + accepted.joined(separator: " + ") + " bytes")
        }())
    }

    func queuesFull() -> Claim {
        Claim.check("queues-full", "/proc while the window was closed: the client's Send-Q held the bytes it could not send, with the persist (zero-window probe) timer, and the server's Recv-Q held every byte it had acknowledged, unread", {
            guard let sides = facts.sides(at: .windowClosed) else { return .failure(Unseen("no socket table while the window was closed")) }
            guard let client = sides.client, let server = sides.server else {
                return .failure(Unseen("the table lacks the \(sides.client == nil ? "client's" : "server's") socket"))
            }
            let snapshot = facts.observation.sockets(at: FlowControl.Moment.windowClosed)!
            let acknowledged = facts.acknowledged(by: snapshot.time)
            guard client.sendQueue > 0 else { return .failure(Unseen("client Send-Q 0")) }
            guard client.timer.kind == .zeroWindowProbe else {
                return .failure(Unseen("client Send-Q \(client.sendQueue) with timer \(client.timer.kind.ssName), not persist"))
            }
            guard server.receiveQueue > 0, Int(server.receiveQueue) == acknowledged else {
                return .failure(Unseen("server Recv-Q \(server.receiveQueue), but the server had acknowledged \(acknowledged) bytes"))
            }
            return .success("client \(client.state.name) Send-Q \(client.sendQueue) \(client.timer.ssText); "
                + "server \(server.state.name) Recv-Q \(server.receiveQueue) = the \(acknowledged) bytes its ACKs had covered")
        }())
    }

    func persistProbes() -> Claim {
        Claim.check("persist-probes", "while the window was closed, the client's kernel sent zero-window probes (no data, seq = snd_nxt − 1) at growing intervals: the persist timer backs off", {
            guard let zero = facts.zeroWindow else { return .failure(Unseen("no zero window, so nothing to probe")) }
            let probes = facts.probesWhileClosed
            guard probes.count >= 2 else {
                return .failure(Unseen("\(probes.count) probe\(probes.count == 1 ? "" : "s") after the zero window #\(zero.number)"))
            }
            var previous = zero
            var intervals: [Double] = []
            for probe in probes {
                intervals.append(Double(probe.time - previous.time) / 1000)
                previous = probe
            }
            let text = zip(probes, intervals).map { "#\($0.number) \(String(format: "%.0f", $1)) ms" }.joined(separator: ", ")
            guard zip(intervals, intervals.dropFirst()).allSatisfy({ $1 > $0 }) else {
                return .failure(Unseen("probe intervals that do not grow: \(text)"))
            }
            return .success("after the zero window #\(zero.number): " + text + " (each after the one before)")
        }())
    }

    func windowUpdate() -> Claim {
        Claim.check("window-update", "when the server read, its kernel opened the window again without waiting to be asked: a window update ([TCP Window Update]: the same ACK, a window above 0)", {
            guard let read = facts.read else { return .failure(Unseen("the server made no recv()")) }
            guard let zero = facts.zeroWindow else { return .failure(Unseen("no zero window to open again")) }
            guard let update = facts.windowUpdate else {
                return .failure(Unseen("no segment from the server reopened the window after #\(zero.number)"))
            }
            guard update.time >= read.began else {
                return .failure(Unseen("the window reopened at #\(update.number) (\(facts.at(update.time))), before the server's recv() began (\(facts.at(read.began)))"))
            }
            return .success("\(read.display) began at \(facts.at(read.began)); #\(update.number) (\(facts.at(update.time))) "
                + "repeats ack of #\(zero.number) with a window of \(facts.windowBytes(update)) bytes")
        }())
    }

    func dataFlows() -> Claim {
        Claim.check("data-flows", "after the window update the rest of the data flowed: every byte reached the server's recv(), and /proc then showed both queues empty", {
            guard let update = facts.windowUpdate else { return .failure(Unseen("no window update")) }
            let after = facts.clientData.filter { $0.number > update.number }
            guard !after.isEmpty else { return .failure(Unseen("no client data after the window update #\(update.number)")) }
            guard facts.bytesSent == bytes else { return .failure(Unseen("the capture carried \(facts.bytesSent) of \(bytes) bytes")) }
            guard let read = facts.read, read.returnValue == bytes else {
                return .failure(Unseen("the server's read: \(facts.read?.display ?? "none")"))
            }
            guard let sides = facts.sides(at: .afterRead), let client = sides.client, let server = sides.server else {
                return .failure(Unseen("no table with both sockets after the server's recv()"))
            }
            guard client.sendQueue == 0, server.receiveQueue == 0 else {
                return .failure(Unseen("after the read: client Send-Q \(client.sendQueue), server Recv-Q \(server.receiveQueue)"))
            }
            return .success("\(after.count) data segments after #\(update.number) (#\(after.first!.number) … #\(after.last!.number)); "
                + "\(bytes) bytes in the capture, \(read.display); then client Send-Q 0, server Recv-Q 0")
        }())
    }
}
