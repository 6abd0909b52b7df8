extension Loss {
    /// Linux's smallest retransmission timeout, TCP_RTO_MIN (include/net/tcp.h): 200 ms.
    static let minimumRTO = 200.0
    /// The initial SYN timeout, TCP_TIMEOUT_INIT (RFC 6298 §2.1): 1 s.
    static let initialSynTimeout = 1000.0

    /// The claims of the chosen variant, each judged from the capture and the roles' steps.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = LossEvidence(facts: LossFacts(observation, serverPort: lab.server.port), loss: self)
        switch variant {
        case .rto:
            return [evidence.resent(), evidence.rtoWait(), evidence.backoff(), evidence.deliveredAfterResend(), evidence.retransmissionLabels()]
        case .fastRetransmit:
            return [evidence.resent(), evidence.duplicateAcks(), evidence.sackNamesHole(), evidence.fastResend(),
                    evidence.fastRetransmissionLabel(), evidence.delivered()]
        case .synLoss:
            return [evidence.synResent(), evidence.synTimeout(), evidence.connectWaited(), evidence.retransmissionLabels(), evidence.delivered()]
        case .tailLoss:
            return [evidence.noDuplicateBeforeProbe(), evidence.probe(), evidence.sackNamesHole(), evidence.holeResentEarly(),
                    evidence.retransmissionLabels(), evidence.delivered()]
        }
    }
}

/// The loss story's claims, computed from `LossFacts`.
struct LossEvidence {
    let facts: LossFacts
    let loss: Loss

    private var observation: Observation { facts.observation }
    private func ms(_ value: Double) -> String { LossFacts.milliseconds(value) }
    private func numbers(_ segments: [CapturedSegment]) -> String { segments.map { "#\($0.number)" }.joined(separator: ", ") }

    /// The burst range of segment `index` (1-based): the `index`-th distinct range the client sent.
    private func burstRange(_ index: Int) -> LossFacts.Range? {
        let ranges = facts.ranges
        return ranges.indices.contains(index - 1) ? ranges[index - 1] : nil
    }

    /// The range nft dropped first: the hole.
    private var hole: LossFacts.Range? {
        switch loss.variant {
        case .rto: facts.ranges.first
        case .fastRetransmit, .tailLoss: burstRange(loss.droppedSegments[0])
        case .synLoss: nil
        }
    }

    func resent() -> Claim {
        Claim.check("resent", "the lost bytes went out again: the same sequence range appears more than once in the capture", {
            guard let hole else { return .failure(Unseen("no data segment from the client")) }
            guard hole.copies.count > 1 else {
                let all = facts.ranges.map { "\(facts.text($0)) ×\($0.copies.count)" }.joined(separator: ", ")
                return .failure(Unseen("bytes \(facts.text(hole)) sent once (\(numbers(hole.copies))); ranges: \(all)"))
            }
            return .success("bytes \(facts.text(hole)) sent \(hole.copies.count) times: \(facts.copiesText(hole))")
        }())
    }

    func rtoWait() -> Claim {
        Claim.check("rto-wait", "the first retransmission waited for the retransmission timeout: at least 200 ms (Linux's TCP_RTO_MIN) after the original, with no ACK of the bytes meanwhile", {
            guard let hole, let first = hole.intervals.first else { return .failure(Unseen("no range sent twice")) }
            guard first >= Loss.minimumRTO else {
                return .failure(Unseen("#\(hole.copies[1].number) came \(ms(first)) after #\(hole.copies[0].number)"))
            }
            let between = facts.serverAcks.filter { $0.number > hole.copies[0].number && $0.number < hole.copies[1].number
                && !SegmentAnalysis.isAfter(hole.end, $0.segment.acknowledgmentNumber) }
            guard between.isEmpty else { return .failure(Unseen("the server acknowledged the bytes (\(numbers(between))) before the resend")) }
            return .success("#\(hole.copies[1].number) resent \(facts.text(hole)) \(ms(first)) after #\(hole.copies[0].number), no ACK of it in between")
        }())
    }

    func backoff() -> Claim {
        Claim.check("backoff", "lost again, the wait doubled: the second retransmission came about twice the first wait later (exponential backoff, RFC 6298 §5.5)", {
            guard let hole, hole.intervals.count >= 2 else {
                return .failure(Unseen("bytes \(hole.map(facts.text) ?? "?") sent \(hole?.copies.count ?? 0) time(s): no second retransmission"))
            }
            let (first, second) = (hole.intervals[0], hole.intervals[1])
            let ratio = second / first
            guard (1.6...2.5).contains(ratio) else {
                return .failure(Unseen("waits \(ms(first)) then \(ms(second)) (×\(String(format: "%.2f", ratio)))"))
            }
            return .success("waits \(ms(first)) (#\(hole.copies[1].number)) then \(ms(second)) (#\(hole.copies[2].number)): ×\(String(format: "%.2f", ratio))")
        }())
    }

    func deliveredAfterResend() -> Claim {
        Claim.check("delivered-late", "the server's recv() returned the bytes only after the copy that got through, and the server's ACK of them came after that copy", {
            guard let hole, let last = hole.copies.last else { return .failure(Unseen("no data segment from the client")) }
            let reads = observation.steps(of: "server").filter { $0.call == "recv" && ($0.returnValue ?? 0) > 0 }
            guard let read = reads.first, let returned = read.ended else { return .failure(Unseen("the server's recv() returned no data")) }
            guard returned >= last.time else {
                return .failure(Unseen("recv() returned \(ms(Double(last.time - returned) / 1000)) before #\(last.number), the last copy"))
            }
            guard let ack = facts.serverAcks.first(where: { !SegmentAnalysis.isAfter(hole.end, $0.segment.acknowledgmentNumber) }) else {
                return .failure(Unseen("no ACK from the server covers \(facts.text(hole))"))
            }
            guard ack.number > last.number else { return .failure(Unseen("#\(ack.number) acknowledged the bytes before #\(last.number), the last copy")) }
            return .success("#\(last.number) got through: ACK #\(ack.number) followed it, and recv() returned \(read.returnValue ?? 0) bytes \(ms(Double(returned - last.time) / 1000)) after it")
        }())
    }

    func delivered() -> Claim {
        Claim.check("delivered", "in the end the server's recv()s returned every byte the client sent", {
            let sent = facts.sends.compactMap(\.returnValue).filter { $0 > 0 }.reduce(0, +)
            guard sent > 0 else { return .failure(Unseen("the client's send() did not succeed")) }
            guard facts.bytesRead == sent else { return .failure(Unseen("the client sent \(sent) bytes, the server read \(facts.bytesRead)")) }
            return .success("\(sent) bytes sent, \(facts.bytesRead) read by the server")
        }())
    }

    /// The server's duplicate ACKs of the hole between its first copy and the second.
    private func duplicatesBeforeResend(_ hole: LossFacts.Range) -> [CapturedSegment] {
        let resend = hole.copies.count > 1 ? hole.copies[1].number : Int.max
        return facts.serverAcks.filter {
            $0.number > hole.copies[0].number && $0.number < resend && $0.segment.acknowledgmentNumber == hole.start && facts.isDuplicateAck($0)
        }
    }

    func duplicateAcks() -> Claim {
        Claim.check("dup-acks", "every segment that arrived after the hole drew an immediate duplicate ACK asking again for the hole's first byte (RFC 5681 §4.2): as many [TCP Dup ACK]s as segments after it, before the resend", {
            guard let hole else { return .failure(Unseen("no data segment from the client")) }
            let resend = hole.copies.count > 1 ? hole.copies[1].number : Int.max
            let after = facts.clientData.filter { $0.number > hole.copies[0].number && $0.number < resend && SegmentAnalysis.isAfter($0.segment.sequenceNumber, hole.start) }
            let duplicates = duplicatesBeforeResend(hole)
            guard !after.isEmpty else { return .failure(Unseen("no segment after the hole before its resend")) }
            guard duplicates.count == after.count else {
                return .failure(Unseen("\(after.count) segments after the hole (\(numbers(after))), \(duplicates.count) duplicate ACKs (\(numbers(duplicates)))"))
            }
            let labels = duplicates.compactMap { facts.flags($0).first?.text }.joined(separator: ", ")
            return .success("\(after.count) segments after the hole (\(numbers(after))) -> \(duplicates.count) duplicate ACKs of \(facts.text(hole).split(separator: ":")[0]): \(labels)")
        }())
    }

    func sackNamesHole() -> Claim {
        Claim.check("sack-hole", "the receiver's duplicate ACKs carried SACK blocks (RFC 2018) beginning where the hole ends: ACK number to the SACK's left edge is exactly the lost range", {
            guard let hole else { return .failure(Unseen("no data segment from the client")) }
            let acks = facts.serverAcks.filter { $0.number > hole.copies[0].number && $0.segment.acknowledgmentNumber == hole.start && !facts.sackBlocks($0).isEmpty }
            let before = hole.copies.count > 1 ? acks.filter { $0.number < hole.copies.last!.number } : acks
            guard !before.isEmpty else {
                let plain = facts.serverAcks.filter { $0.number > hole.copies[0].number && $0.segment.acknowledgmentNumber == hole.start }
                return .failure(Unseen("no ACK of \(facts.text(hole).split(separator: ":")[0]) with SACK blocks (ACKs: \(numbers(plain)))"))
            }
            let base = facts.clientISN ?? 0
            var edges: [String] = []
            for ack in before {
                guard let block = facts.sackBlocks(ack).first(where: { $0.left == hole.end }) else {
                    let blocks = facts.sackBlocks(ack).map { "{\($0.left &- base):\($0.right &- base)}" }.joined()
                    return .failure(Unseen("#\(ack.number) acks \(hole.start &- base) with SACK \(blocks), not starting at \(hole.end &- base)"))
                }
                edges.append("#\(ack.number) ack \(hole.start &- base) sack {\(block.left &- base):\(block.right &- base)}")
            }
            return .success(edges.joined(separator: "; ") + ": the hole is \(facts.text(hole))")
        }())
    }

    func fastResend() -> Claim {
        Claim.check("fast", "the hole was resent right after the duplicate ACKs, long before any retransmission timeout (< 200 ms)", {
            guard let hole, hole.copies.count > 1 else { return .failure(Unseen("the hole \(hole.map(facts.text) ?? "?") was not resent")) }
            let wait = hole.intervals[0]
            guard wait < Loss.minimumRTO else { return .failure(Unseen("#\(hole.copies[1].number) came \(ms(wait)) after #\(hole.copies[0].number)")) }
            guard let lastDuplicate = duplicatesBeforeResend(hole).last else {
                return .failure(Unseen("no duplicate ACK before the resend #\(hole.copies[1].number)"))
            }
            return .success("#\(hole.copies[1].number) resent \(facts.text(hole)) \(ms(wait)) after #\(hole.copies[0].number), "
                + "\(ms(Double(hole.copies[1].time - lastDuplicate.time) / 1000)) after the last duplicate ACK #\(lastDuplicate.number)")
        }())
    }

    func fastRetransmissionLabel() -> Claim {
        Claim.check("labels", "Wireshark's analysis marks the duplicate ACKs [TCP Dup ACK] and the resend [TCP Fast Retransmission]", {
            guard let hole, hole.copies.count > 1 else { return .failure(Unseen("no resend to label")) }
            let resend = hole.copies[1]
            guard facts.flags(resend).contains(.fastRetransmission) else {
                return .failure(Unseen("#\(resend.number) is \(labelText(resend))"))
            }
            let duplicates = duplicatesBeforeResend(hole)
            guard duplicates.count >= 2 else { return .failure(Unseen("\(duplicates.count) [TCP Dup ACK] before #\(resend.number)")) }
            return .success(duplicates.map { "#\($0.number) \(labelText($0))" }.joined(separator: ", ") + "; #\(resend.number) \(labelText(resend))")
        }())
    }

    private func labelText(_ segment: CapturedSegment) -> String {
        let flags = facts.flags(segment)
        return flags.isEmpty ? "unflagged" : flags.map { "[\($0.text)]" }.joined(separator: " ")
    }

    func retransmissionLabels() -> Claim {
        Claim.check("labels", "Wireshark's analysis marks every resent copy [TCP Retransmission] and no first copy", {
            let copies: [CapturedSegment]
            let firsts: [CapturedSegment]
            if loss.variant == .synLoss {
                copies = Array(facts.syns.dropFirst())
                firsts = Array(facts.syns.prefix(1)) + facts.clientData
            } else {
                copies = facts.ranges.flatMap { $0.copies.dropFirst() }.sorted { $0.number < $1.number }
                firsts = facts.ranges.map { $0.copies[0] }
            }
            guard !copies.isEmpty else { return .failure(Unseen("nothing was sent twice")) }
            if let wrong = copies.first(where: { !facts.flags($0).contains(.retransmission) }) {
                return .failure(Unseen("#\(wrong.number) is \(labelText(wrong))"))
            }
            if let wrong = firsts.first(where: { facts.flags($0).contains(where: \.isRetransmission) }) {
                return .failure(Unseen("first copy #\(wrong.number) is \(labelText(wrong))"))
            }
            return .success(copies.map { "#\($0.number) \(labelText($0))" }.joined(separator: ", "))
        }())
    }

    // MARK: syn-loss

    func synResent() -> Claim {
        Claim.check("syn-resent", "the SYN went out again, with the same initial sequence number: the first one was lost", {
            let syns = facts.syns
            guard syns.count >= 2 else { return .failure(Unseen("\(syns.count) SYN\(syns.count == 1 ? "" : "s") (\(numbers(syns)))")) }
            guard syns.allSatisfy({ $0.segment.sequenceNumber == syns[0].segment.sequenceNumber }) else {
                return .failure(Unseen("SYNs \(numbers(syns)) carry different sequence numbers"))
            }
            guard let answer = facts.synAcks.first else { return .failure(Unseen("no SYN-ACK")) }
            guard answer.number > syns[1].number else { return .failure(Unseen("SYN-ACK #\(answer.number) came before the second SYN")) }
            return .success("SYNs \(numbers(syns)) with seq \(syns[0].segment.sequenceNumber); SYN-ACK #\(answer.number) answered #\(syns[1].number)")
        }())
    }

    func synTimeout() -> Claim {
        Claim.check("syn-timeout", "the SYN was resent after the initial timeout of 1 s (RFC 6298 §2.1, Linux's TCP_TIMEOUT_INIT), not sooner", {
            let syns = facts.syns
            guard syns.count >= 2 else { return .failure(Unseen("no second SYN")) }
            let wait = Double(syns[1].time - syns[0].time) / 1000
            guard wait >= Loss.initialSynTimeout, wait < 2 * Loss.initialSynTimeout else {
                return .failure(Unseen("#\(syns[1].number) came \(ms(wait)) after #\(syns[0].number)"))
            }
            return .success("#\(syns[1].number) came \(ms(wait)) after #\(syns[0].number)")
        }())
    }

    func connectWaited() -> Claim {
        Claim.check("connect-waited", "connect() blocked through the loss: it returned only after the SYN-ACK answering the resent SYN", {
            guard let connect = observation.steps(of: "client").first(where: { $0.call == "connect" }), let returned = connect.ended else {
                return .failure(Unseen("connect() did not return"))
            }
            guard connect.returnValue == 0 else { return .failure(Unseen(connect.display)) }
            guard let answer = facts.synAcks.first else { return .failure(Unseen("no SYN-ACK")) }
            guard returned >= answer.time else {
                return .failure(Unseen("connect() returned \(ms(Double(answer.time - returned) / 1000)) before the SYN-ACK #\(answer.number)"))
            }
            let took = Double(returned - connect.began) / 1000
            guard took >= Loss.initialSynTimeout else { return .failure(Unseen("connect() returned after \(ms(took))")) }
            return .success("connect() returned \(ms(took)) after it was called, after the SYN-ACK #\(answer.number)")
        }())
    }

    // MARK: tail-loss

    func noDuplicateBeforeProbe() -> Claim {
        Claim.check("silent-tail", "after the burst's last two segments were lost, the receiver had nothing to complain about: no duplicate ACK and no SACK until the sender resent something", {
            guard let hole else { return .failure(Unseen("no data segment from the client")) }
            let firstResend = facts.resent.flatMap { $0.copies.dropFirst() }.map(\.number).min() ?? Int.max
            let early = facts.serverAcks.filter { $0.number > hole.copies[0].number && $0.number < firstResend
                && (facts.isDuplicateAck($0) || !facts.sackBlocks($0).isEmpty) }
            guard early.isEmpty else { return .failure(Unseen("duplicate ACK or SACK before any resend: \(numbers(early))")) }
            let acked = facts.serverAcks.filter { $0.number < firstResend }.last.map { $0.segment.acknowledgmentNumber &- (facts.clientISN ?? 0) }
            return .success("the server's last ACK before the resend stood at \(acked.map(String.init) ?? "?"), the hole's start; no duplicate ACK, no SACK")
        }())
    }

    func probe() -> Claim {
        Claim.check("probe", "the first resend was the burst's LAST segment, a tail loss probe (RFC 8985 §7), sent a few round trips after it, long before the retransmission timeout (< 200 ms)", {
            let ranges = facts.ranges
            guard let last = ranges.last else { return .failure(Unseen("no data segment from the client")) }
            let resends = facts.resent.flatMap { range in range.copies.dropFirst().map { (range, $0) } }.sorted { $0.1.number < $1.1.number }
            guard let (range, copy) = resends.first else { return .failure(Unseen("nothing was resent")) }
            guard range.start == last.start else {
                return .failure(Unseen("the first resend #\(copy.number) carried \(facts.text(range)), not the last segment \(facts.text(last))"))
            }
            let wait = Double(copy.time - last.copies[0].time) / 1000
            guard wait < Loss.minimumRTO else { return .failure(Unseen("#\(copy.number) came \(ms(wait)) after #\(last.copies[0].number)")) }
            return .success("#\(copy.number) resent the last segment \(facts.text(last)) \(ms(wait)) after #\(last.copies[0].number)")
        }())
    }

    func holeResentEarly() -> Claim {
        Claim.check("recovered", "the SACK let the sender resend the hole at once, long before the retransmission timeout (< 200 ms after its first copy); "
            + "only if the probe's SACK came back faster than the connection's smallest round trip (tcpi_min_rtt) may RACK ignore it (RFC 8985 §6.2) and leave the hole to the timeout", {
            guard let hole, hole.copies.count > 1 else { return .failure(Unseen("the hole \(hole.map(facts.text) ?? "?") was not resent")) }
            let resend = hole.copies[1]
            let wait = hole.intervals[0]
            guard let sack = facts.serverAcks.first(where: { $0.number > hole.copies[0].number && !facts.sackBlocks($0).isEmpty }),
                  sack.number < resend.number
            else { return .failure(Unseen("#\(resend.number) resent the hole with no SACK before it")) }
            if wait < Loss.minimumRTO {
                return .success("#\(resend.number) resent \(facts.text(hole)) \(ms(wait)) after #\(hole.copies[0].number), right after the SACK in #\(sack.number)")
            }
            return ignoredSack(hole: hole, sack: sack, wait: wait)
        }())
    }

    /// The hole waited for the timeout: true only when the probe's SACK `sack` came back, in the
    /// capture, faster than the min_rtt the kernel held (`Observation.senderRoundTrip`). The
    /// kernel's own round trip runs from before the probe reached the capture to after the SACK
    /// did, so it is at least the capture's: a capture round trip >= min_rtt means RACK took the SACK.
    private func ignoredSack(hole: LossFacts.Range, sack: CapturedSegment, wait: Double) -> Result<String, Unseen> {
        let resend = hole.copies[1]
        let late = "#\(resend.number) came \(ms(wait)) after #\(hole.copies[0].number), after the SACK in #\(sack.number)"
        guard let probe = facts.resent.flatMap({ $0.copies.dropFirst() }).filter({ $0.number < sack.number }).max(by: { $0.number < $1.number }) else {
            return .failure(Unseen(late + ", with no probe before that SACK"))
        }
        guard let reading = observation.senderRoundTrip, reading.afterSegment >= sack.number else {
            return .failure(Unseen(late + "; no tcp_info min_rtt read after the SACK to say whether RACK may have ignored it"))
        }
        let roundTrip = sack.time - probe.time
        guard roundTrip < Int64(reading.minRTTMicroseconds) else {
            return .failure(Unseen(late + "; the probe #\(probe.number) got its SACK \(roundTrip) µs later, not below the client's min_rtt "
                + "\(reading.minRTTMicroseconds) µs, so RACK should have resent the hole at once"))
        }
        // The timer's first resend comes at TCP_RTO_MIN plus a tick or two; later means something else.
        guard wait < 2 * Loss.minimumRTO else { return .failure(Unseen(late + ", beyond one retransmission timeout")) }
        return .success("#\(resend.number) resent \(facts.text(hole)) \(ms(wait)) after #\(hole.copies[0].number), by the retransmission timeout: "
            + "the probe #\(probe.number) got its SACK #\(sack.number) \(roundTrip) µs later in the capture, under the client's min_rtt of \(reading.minRTTMicroseconds) µs "
            + "(tcp_info read after #\(reading.afterSegment)); RACK ignores the SACK of a resent segment that comes back faster than min_rtt, "
            + "as it may be for the original (RFC 8985 §6.2)")
    }
}
