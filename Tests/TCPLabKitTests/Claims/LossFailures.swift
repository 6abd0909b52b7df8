@testable import TCPLabKit

/// loss's claims, each made to fail the way another kernel, network or program would.
enum LossFailures {
    static let all: [ClaimFailure] = rto + fastRetransmit + synLoss + tailLoss
        + ClaimFailure.each(["loss-fast-retransmit", "loss-syn-loss", "loss-tail-loss"], "delivered", "the server read 10 bytes fewer than were sent",
                            seen: "the server read") { run in
            run.editSteps(of: "server", where: { $0.call == "recv" && ($0.returnValue ?? 0) > 10 }) { $0.returnValue! -= 10 }
        }

    static let rto: [ClaimFailure] = [
        ClaimFailure("loss-rto", "resent", "the message's copies removed (nothing was lost)", seen: "sent once") { run in
            guard let hole = run.lossFacts.ranges.first else { return }
            let copies = Set(hole.copies.dropFirst().map(\.number))
            run.removeSegments { copies.contains($0.number) }
        },
        ClaimFailure("loss-rto", "rto-wait", "the first resend 50 ms after the original (a 50 ms timeout)", seen: "came 50.00 ms after") { run in
            guard let hole = run.lossFacts.ranges.first, hole.copies.count > 1 else { return }
            let (original, resend) = (hole.copies[0], hole.copies[1].number)
            run.editTimes(where: { $0.number == resend }) { _ in original.time + 50_000 }
        },
        ClaimFailure("loss-rto", "backoff", "the second wait as long as the first (no backoff)", seen: "(×1.00)") { run in
            guard let hole = run.lossFacts.ranges.first, hole.copies.count > 2 else { return }
            let wait = hole.copies[1].time - hole.copies[0].time
            let (second, third) = (hole.copies[1].time, hole.copies[2].number)
            run.editTimes(where: { $0.number == third }) { _ in second + wait }
        },
        ClaimFailure("loss-rto", "delivered-late", "recv() returned right after the first copy", seen: "before #") { run in
            guard let first = run.lossFacts.ranges.first?.copies.first else { return }
            run.editSteps(of: "server", where: { $0.call == "recv" && ($0.returnValue ?? 0) > 0 }) { $0.ended = first.time + 1_000 }
        },
        ClaimFailure("loss-rto", "labels", "the server's ACK of the message before its first resend (an ACK lost on its way back)",
                     seen: "is [TCP Spurious Retransmission]") { run in
            run.insertAckOfHole(before: 1)
        },
    ]

    static let fastRetransmit: [ClaimFailure] = [
        ClaimFailure("loss-fast-retransmit", "resent", "the resend removed", seen: "sent once") { run in
            guard let resend = run.lossFacts.resent.first?.copies.dropFirst().first else { return }
            run.removeSegments { $0.number == resend.number }
        },
        ClaimFailure("loss-fast-retransmit", "dup-acks", "one duplicate ACK fewer (a receiver that delays them)", seen: "2 duplicate ACKs") { run in
            let facts = run.lossFacts
            guard let second = facts.serverAcks.filter(facts.isDuplicateAck).dropFirst().first else { return }
            run.removeSegments { $0.number == second.number }
        },
        ClaimFailure("loss-fast-retransmit", "sack-hole", "no SACK blocks (a receiver without SACK)", seen: "with SACK blocks") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port }) { segment in
                segment.options.removeAll { if case .sack = $0 { return true } else { return false } }
            }
        },
        ClaimFailure("loss-fast-retransmit", "fast", "the resend 250 ms after the original (a timeout, not fast retransmit)", seen: "came 250 ms after") { run in
            guard let hole = run.lossFacts.resent.first, hole.copies.count > 1 else { return }
            let (original, resend) = (hole.copies[0].time, hole.copies[1].number)
            run.editTimes(where: { $0.number >= resend }) { original + 250_000 + ($0 % 1000) }
        },
        ClaimFailure("loss-fast-retransmit", "labels", "the resend 30 ms after the last duplicate ACK (too late for Wireshark's 20 ms)",
                     seen: "is [TCP Retransmission]") { run in
            guard let hole = run.lossFacts.resent.first, hole.copies.count > 1 else { return }
            let resend = hole.copies[1].number
            run.editTimes(where: { $0.number >= resend }) { $0 + 30_000 }
        },
    ]

    static let synLoss: [ClaimFailure] = [
        ClaimFailure("loss-syn-loss", "syn-resent", "the first SYN removed (nothing lost)", seen: "1 SYN (#1)") { run in
            guard let first = run.lossFacts.syns.first else { return }
            run.removeSegments { $0.number == first.number }
        },
        ClaimFailure("loss-syn-loss", "syn-timeout", "the second SYN 200 ms after the first", seen: "came 200 ms after") { run in
            let syns = run.lossFacts.syns
            guard syns.count > 1 else { return }
            let (first, second) = (syns[0].time, syns[1].number)
            run.editTimes(where: { $0.number == second }) { _ in first + 200_000 }
        },
        ClaimFailure("loss-syn-loss", "connect-waited", "connect() returned right after the first SYN (a non-blocking connect)",
                     seen: "before the SYN-ACK") { run in
            guard let first = run.lossFacts.syns.first else { return }
            run.editSteps(of: "client", where: { $0.call == "connect" }) { $0.ended = first.time + 100 }
        },
        ClaimFailure("loss-syn-loss", "labels", "the second SYN with a new initial sequence number (a new attempt, not a resend)",
                     seen: "is [TCP Port numbers reused]") { run in
            let syns = run.lossFacts.syns
            guard syns.count > 1 else { return }
            let second = syns[1].number
            run.editSegments(where: { $0.number == second }) { $0.sequenceNumber &+= 1000 }
        },
    ]

    static let tailLoss: [ClaimFailure] = [
        ClaimFailure("loss-tail-loss", "silent-tail", "a duplicate ACK with a SACK block before any resend", seen: "duplicate ACK or SACK before any resend") { run in
            let facts = run.lossFacts
            guard let firstResend = facts.resent.flatMap({ $0.copies.dropFirst() }).min(by: { $0.number < $1.number }),
                  var ack = facts.serverAcks.last(where: { $0.number < firstResend.number }),
                  let last = facts.ranges.last
            else { return }
            ack.segment.options.append(.sack([SACKBlock(left: last.start, right: last.end)]))
            ack.time = firstResend.time - 1
            run.insertSegment(ack, after: firstResend.number - 1)
        },
        ClaimFailure("loss-tail-loss", "probe", "the probe removed (the hole resent first)", seen: "not the last segment") { run in
            guard let last = run.lossFacts.ranges.last, last.copies.count > 1 else { return }
            let probe = last.copies[1].number
            run.removeSegments { $0.number == probe }
        },
        ClaimFailure("loss-tail-loss", "sack-hole", "the SACK block starting 100 bytes past the hole's end", seen: "not starting at") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port }) { segment in
                segment.options = segment.options.map {
                    guard case .sack(let blocks) = $0 else { return $0 }
                    return .sack(blocks.map { SACKBlock(left: $0.left &+ 100, right: $0.right) })
                }
            }
        },
        ClaimFailure("loss-tail-loss", "recovered", "the hole resent 300 ms after its first copy (a timeout)", seen: "came 3") { run in
            guard let hole = run.lossFacts.ranges.dropLast().last, hole.copies.count > 1 else { return }
            let (original, resend) = (hole.copies[0].time, hole.copies[1].number)
            run.editTimes(where: { $0.number >= resend }) { original + 300_000 + ($0 % 1000) }
        },
        ClaimFailure("loss-tail-loss", "recovered", "the hole left to a 300 ms timeout though the probe's SACK came back slower than min_rtt",
                     seen: "so RACK should have resent the hole at once") { run in
            run.resendHoleByTimeout(after: 300, minRTT: { $0 - 1 })
        },
        ClaimFailure("loss-tail-loss", "recovered", "the hole resent 900 ms after its first copy, min_rtt above the probe's round trip",
                     seen: "beyond one retransmission timeout") { run in
            run.resendHoleByTimeout(after: 900, minRTT: { $0 + 1000 })
        },
        ClaimFailure("loss-tail-loss", "recovered", "the hole left to a timeout, min_rtt read before the SACK came",
                     seen: "no tcp_info min_rtt read after the SACK") { run in
            run.resendHoleByTimeout(after: 300, minRTT: { $0 + 1000 })
            run.observation.senderRoundTrip?.afterSegment -= 1
        },
        ClaimFailure("loss-tail-loss", "recovered", "the probe's SACK removed (the hole resent with nothing naming it)", seen: "with no SACK before it") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port }) { segment in
                segment.options.removeAll { if case .sack = $0 { true } else { false } }
            }
        },
        ClaimFailure("loss-tail-loss", "labels", "the server's ACK of the last segment before the probe (an ACK lost on its way back)",
                     seen: "is [TCP Spurious Retransmission]") { run in
            run.insertAckOfHole(before: 1, range: run.lossFacts.ranges.last)
        },
    ]
}

extension DoctoredRun {
    var lossFacts: LossFacts { LossFacts(observation, serverPort: port) }

    /// Sets the capture time of every segment `match` selects to `time(old)`.
    mutating func editTimes(where match: (CapturedSegment) -> Bool, _ time: (Int64) -> Int64) {
        for index in observation.segments.indices where match(observation.segments[index]) {
            observation.segments[index].time = time(observation.segments[index].time)
        }
    }

    /// Inserts a server ACK covering `range` (default: the first range) just before its copy number `copy`.
    mutating func insertAckOfHole(before copy: Int, range: LossFacts.Range? = nil) {
        let facts = lossFacts
        guard let range = range ?? facts.ranges.first, range.copies.count > copy,
              var ack = facts.serverAcks.last(where: { $0.number < range.copies[copy].number }) ?? facts.serverAcks.first
        else { return }
        ack.segment.acknowledgmentNumber = range.end
        ack.segment.options.removeAll { if case .sack = $0 { return true } else { return false } }
        ack.time = range.copies[copy].time - 1
        insertSegment(ack, after: range.copies[copy].number - 1)
    }
}

extension DoctoredRun {
    /// tail-loss: the hole's resend (and all after it) moved to `milliseconds` after its first
    /// copy, as the retransmission timer would send it, and a tcp_info reading after the probe's
    /// SACK whose min_rtt is `minRTT(the probe's round trip in the capture, µs)`.
    mutating func resendHoleByTimeout(after milliseconds: Int64, minRTT: (Int64) -> Int64) {
        let facts = lossFacts
        guard let hole = facts.ranges.dropLast().last, hole.copies.count > 1, let probe = facts.ranges.last?.copies.dropFirst().first,
              let sack = facts.serverAcks.first(where: { $0.number > probe.number && !facts.sackBlocks($0).isEmpty })
        else { return }
        let (original, resend) = (hole.copies[0].time, hole.copies[1].number)
        editTimes(where: { $0.number >= resend }) { original + milliseconds * 1000 + ($0 % 1000) }
        observation.senderRoundTrip = RoundTripReading(
            time: sack.time + 500, afterSegment: sack.number, rttMicroseconds: 40, rttvarMicroseconds: 20,
            minRTTMicroseconds: UInt32(clamping: minRTT(sack.time - probe.time)))
    }
}
