import Foundation

extension Nagle {
    /// The claims of the chosen variant, each judged from the capture and the roles' steps.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = NagleEvidence(facts: NagleFacts(observation, serverPort: lab.server.port), text: Self.keystrokes)
        var claims = [evidence.echoed()]
        claims += noDelay ? [evidence.onePerWrite(), evidence.noWaiting()] : [evidence.coalesced(), evidence.nagleRule()]
        claims.append(evidence.acknowledged())
        return claims
    }
}

/// The nagle story's claims, computed from `NagleFacts`.
struct NagleEvidence {
    let facts: NagleFacts
    let text: String

    private var observation: Observation { facts.observation }

    private func sizes(_ segments: [CapturedSegment]) -> String {
        segments.map { "#\($0.number) \($0.segment.ipPayloadLength)" }.joined(separator: ", ")
    }

    func echoed() -> Claim {
        Claim.check("echoed", "the client made one send() per keystroke and every byte came back from the echo server", {
            let writes = facts.writes
            guard writes.count == text.utf8.count, writes.allSatisfy({ $0.returnValue == 1 }) else {
                return .failure(Unseen("\(writes.count) send() calls: \(writes.prefix(3).map(\.display).joined(separator: ", "))"))
            }
            let received = observation.steps(of: "client").filter { $0.call == "recv" }.compactMap(\.data).joined()
            guard received == text else { return .failure(Unseen("the client received \(quoted(received))")) }
            return .success("\(writes.count) × send() = 1; the client's recv()s got \(quoted(received))")
        }())
    }

    func coalesced() -> Claim {
        Claim.check("coalesced", "with Nagle's algorithm on, the one-byte writes left in fewer data segments than writes: keystrokes were coalesced", {
            let data = facts.clientData
            let bytes = data.map(\.segment.ipPayloadLength).reduce(0, +)
            guard bytes == facts.writes.count else {
                return .failure(Unseen("\(data.count) data segments carried \(bytes) bytes for \(facts.writes.count) writes"))
            }
            guard data.count < facts.writes.count else {
                return .failure(Unseen("\(facts.writes.count) writes -> \(data.count) segments (bytes: \(sizes(data)))"))
            }
            return .success("\(facts.writes.count) writes -> \(data.count) segments (segment bytes: \(sizes(data)))")
        }())
    }

    func nagleRule() -> Claim {
        Claim.check("nagle-rule", "a small segment left only when everything sent before it was acknowledged; writes made meanwhile waited and left together", {
            let data = facts.clientData
            guard !data.isEmpty else { return .failure(Unseen("no data segment from the client")) }
            var seen: [String] = []
            for segment in data {
                let waiting = facts.unacknowledged(before: segment)
                guard waiting.isEmpty else {
                    return .failure(Unseen("#\(segment.number) (\(segment.segment.ipPayloadLength) bytes) left while #\(waiting.map { String($0.number) }.joined(separator: ", #")) was unacknowledged"))
                }
                seen.append("#\(segment.number) (\(segment.segment.ipPayloadLength) byte\(segment.segment.ipPayloadLength == 1 ? "" : "s"))")
            }
            let multi = data.dropFirst().filter { $0.segment.ipPayloadLength > 1 }.count
            return .success("each of " + seen.joined(separator: ", ") + " left with nothing unacknowledged; "
                + "\(multi) of the \(data.count - 1) later segments carried several keystrokes")
        }())
    }

    func onePerWrite() -> Claim {
        Claim.check("one-per-write", "with TCP_NODELAY, every one-byte write left at once as a one-byte segment of its own", {
            let data = facts.clientData
            guard !data.isEmpty, data.count == facts.writes.count, data.allSatisfy({ $0.segment.ipPayloadLength == 1 }) else {
                return .failure(Unseen("\(facts.writes.count) writes -> \(data.count) segments (bytes: \(sizes(data)))"))
            }
            return .success("\(facts.writes.count) writes -> \(data.count) one-byte segments (#\(data.first!.number) … #\(data.last!.number))")
        }())
    }

    func noWaiting() -> Claim {
        Claim.check("no-waiting", "without Nagle, small segments did not wait for ACKs: several were unacknowledged at the same time", {
            let data = facts.clientData
            guard let (segment, waiting) = data.map({ ($0, facts.unacknowledged(before: $0)) }).max(by: { $0.1.count < $1.1.count }),
                  waiting.count >= 1
            else { return .failure(Unseen("every data segment left with nothing unacknowledged")) }
            return .success("up to \(waiting.count + 1) one-byte segments in flight: #\(segment.number) left while #\(waiting.map { String($0.number) }.joined(separator: ", #")) were unacknowledged")
        }())
    }

    func acknowledged() -> Claim {
        Claim.check("acks", "the server acknowledged every keystroke, with ACKs of their own or riding on the echo (delayed ACK lets an ACK wait for data going back)", {
            guard let last = facts.clientData.last else { return .failure(Unseen("no data segment from the client")) }
            let end = last.segment.sequenceNumber &+ UInt32(last.segment.ipPayloadLength)
            let (pure, piggybacked) = facts.serverAcks
            guard let final = (pure + piggybacked).max(by: { $0.number < $1.number }),
                  !SegmentAnalysis.isAfter(end, final.segment.acknowledgmentNumber)
            else { return .failure(Unseen("the server's ACKs stop short of the last keystroke (#\(last.number))")) }
            let numbers = { (list: [CapturedSegment]) in list.isEmpty ? "" : " (#" + list.map { String($0.number) }.joined(separator: ", #") + ")" }
            var text = "\(pure.count) pure ACK\(pure.count == 1 ? "" : "s")\(numbers(pure)), \(piggybacked.count) on echo data\(numbers(piggybacked))"
            let covering = pure.filter { facts.segmentsAcknowledged(by: $0) >= 2 }
            if !covering.isEmpty {
                text += "; #" + covering.map { String($0.number) }.joined(separator: ", #") + " each acknowledged 2 or more segments at once"
            }
            if let (ack, milliseconds) = facts.clientFinalAck {
                text += "; the client's ACK of the last echo (#\(ack.number)) came \(String(format: "%.1f", milliseconds)) ms after it"
                    + (milliseconds >= 20 ? " (held by the delayed-ACK timer)" : "")
            }
            return .success(text)
        }())
    }
}
