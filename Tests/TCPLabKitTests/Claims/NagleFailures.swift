@testable import TCPLabKit

/// nagle's claims, each made to fail the way another kernel or client would.
enum NagleFailures {
    static let both = ["nagle-nagle", "nagle-nodelay"]

    static let all: [ClaimFailure] =
        ClaimFailure.each(both, "echoed", "the echo came back with a byte changed", seen: "the client received \"hello tcX\"") { run in
            run.editSteps(of: "client", where: { $0.call == "recv" && ($0.data ?? "").hasSuffix("p") }) { step in
                step.data = String(step.data!.dropLast()) + "X"
            }
        }
        + ClaimFailure.each(both, "acks", "the server's ACKs stop one byte short of the last keystroke", seen: "stop short of the last keystroke") { run in
            let port = run.port
            guard let end = run.nagleFacts.clientDataEnd else { return }
            run.editSegments(where: { $0.segment.sourcePort == port && !SegmentAnalysis.isAfter(end, $0.segment.acknowledgmentNumber) }) {
                $0.acknowledgmentNumber = end &- 1
            }
        }
        + [ClaimFailure("nagle-nagle", "coalesced", "every keystroke in a segment of its own (a kernel without Nagle)", seen: "9 writes -> 9 segments") { run in
            run.splitClientData()
        },
        ClaimFailure("nagle-nagle", "nagle-rule", "the first keystroke still unacknowledged when the rest left (a kernel without Nagle)",
                     seen: "was unacknowledged") { run in
            let facts = run.nagleFacts
            guard let first = facts.clientData.first, let second = facts.clientData.dropFirst().first else { return }
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.number > first.number && $0.number < second.number }) {
                $0.acknowledgmentNumber = first.segment.sequenceNumber
            }
        },
        ClaimFailure("nagle-nodelay", "one-per-write", "two keystrokes merged into one segment (autocorking)", seen: "9 writes -> 8 segments") { run in
            let data = run.nagleFacts.clientData
            guard data.count >= 3 else { return }
            let first = data[1].number, second = data[2].number
            run.editSegments(where: { $0.number == first }) { $0.payload += $0.payload; $0.ipPayloadLength = 2 }
            run.removeSegments { $0.number == second }
        },
        ClaimFailure("nagle-nodelay", "no-waiting", "every keystroke waited for the ACK of the one before (Nagle still on)",
                     seen: "every data segment left with nothing unacknowledged") { run in
            let port = run.port
            let data = run.nagleFacts.clientData
            guard let template = run.observation.segments.first(where: { $0.segment.sourcePort == port && $0.segment.flags == .ack }) else { return }
            for (earlier, later) in zip(data, data.dropFirst()).reversed() {
                var ack = template
                ack.segment.acknowledgmentNumber = earlier.segment.sequenceNumber &+ UInt32(earlier.segment.ipPayloadLength)
                ack.time = later.time - 1
                run.insertSegment(ack, after: earlier.number)
            }
        }]
}

extension DoctoredRun {
    var nagleFacts: NagleFacts { NagleFacts(observation, serverPort: port) }

    /// Replaces every client data segment of several bytes by one-byte segments.
    mutating func splitClientData() {
        let port = port
        var segments: [CapturedSegment] = []
        for captured in observation.segments {
            let segment = captured.segment
            guard segment.destinationPort == port, segment.ipPayloadLength > 1 else { segments.append(captured); continue }
            for offset in 0..<segment.ipPayloadLength {
                var piece = captured
                piece.segment.sequenceNumber = segment.sequenceNumber &+ UInt32(offset)
                piece.segment.payload = offset < segment.payload.count ? [segment.payload[offset]] : []
                piece.segment.ipPayloadLength = 1
                piece.time += Int64(offset)
                segments.append(piece)
            }
        }
        observation.segments = segments
        for index in observation.segments.indices { observation.segments[index].number = index + 1 }
    }
}
