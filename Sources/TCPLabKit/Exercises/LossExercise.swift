import Foundation

/// Predictions for loss, per variant: how often the lost bytes go out, how long the sender waits
/// before resending (the RTO, its doubling, fast retransmit, a tail loss probe, a lost SYN), how
/// many duplicate ACKs come, and which analysis flag Wireshark gives the resend. Read from the
/// capture rows (their typed analysis flags) and the roles' steps.
enum LossExercise {
    static let waits = ["under 1 ms", "1 to 199 ms", "200 to 399 ms", "400 ms or more"]
    static let ratios = ["about the same as the first", "about twice the first", "about half the first"]
    static let synWaits = ["under 200 ms", "about 200 ms", "about 1 s", "about 3 s"]
    static let connectReturns = ["right after the first SYN", "after the SYN-ACK", "never: it fails"]
    static let labels = [TCPAnalysisFlag.retransmission, .fastRetransmission, .spuriousRetransmission, .outOfOrder].map(\.text)

    /// The client's data rows, in capture order.
    static func clientData(_ report: RunReport) -> [SegmentRow] { report.dataSegments(.clientToServer) }

    /// The client's copies of its first data range, in capture order.
    static func copiesOfFirst(_ report: RunReport) -> [SegmentRow] {
        guard let first = clientData(report).first else { return [] }
        return clientData(report).filter { $0.sequenceText == first.sequenceText }
    }

    /// The first client row (data or SYN) flagged as any kind of retransmission.
    static func firstResend(_ report: RunReport) -> SegmentRow? {
        report.segments.first { $0.direction == .clientToServer && $0.analysis.contains(where: \.isRetransmission) }
    }

    /// The first copy of the range `row` resends.
    static func original(of row: SegmentRow, _ report: RunReport) -> SegmentRow? {
        clientData(report).first { $0.sequenceText == row.sequenceText }
    }

    static func milliseconds(_ from: SegmentRow, _ to: SegmentRow) -> Double { Double(to.time - from.time) / 1000 }

    /// The client's SYNs, in capture order.
    static func clientSYNs(_ report: RunReport) -> [SegmentRow] {
        report.segments.filter { $0.flags == "S" && $0.direction == .clientToServer }
    }

    /// `#7`, or `not captured`.
    static func numbered(_ row: SegmentRow?) -> String { row.map { "#\($0.number)" } ?? "not captured" }

    /// `#7 left 208 ms after #4: 200 to 399 ms` (without the answer when `observed` is nil), for a
    /// wrong mark's reason.
    static func wait(_ from: SegmentRow, _ to: SegmentRow, _ observed: String?) -> String {
        "#\(to.number) left \(String(format: "%.0f", milliseconds(from, to))) ms after #\(from.number)" + (observed.map { ": \($0)" } ?? "")
    }

    static func bucket(_ wait: Double) -> String {
        switch wait {
        case ..<1: waits[0]
        case ..<200: waits[1]
        case ..<400: waits[2]
        default: waits[3]
        }
    }

    /// The retransmission-family flag of a row, in Wireshark's words.
    static func label(_ row: SegmentRow?) -> String? { row?.analysis.first(where: \.isRetransmission)?.text }

    static func duplicateAcks(_ report: RunReport) -> [SegmentRow] {
        report.segments.filter { row in row.analysis.contains { if case .duplicateAck = $0 { true } else { false } } }
    }

    static let copyLabel = Prediction(
        id: "copy-label", question: "Which analysis flag does Wireshark (and tcplab) give the first resend?",
        kind: .choice(labels), seen: { observed, report in "the first resend, \(numbered(firstResend(report))), is flagged [\(observed)]" }) { report in label(firstResend(report)) }

    static let rto: [Prediction] = [
        Prediction(
            id: "copies", question: "nft drops the first two copies of the client's message. How many times in all does the message appear in the capture?",
            kind: .number, seen: Evidence.capture("copies of the message", copiesOfFirst)) { report in copiesOfFirst(report).isEmpty ? nil : String(copiesOfFirst(report).count) },
        Prediction(
            id: "first-wait", question: "How long after the original does the first resend leave?",
            kind: .choice(waits), seen: { observed, report in
                let copies = copiesOfFirst(report)
                return copies.count > 1 ? wait(copies[0], copies[1], observed) : "no resend of the message was captured"
            }) { report in
            let copies = copiesOfFirst(report)
            return copies.count > 1 ? bucket(milliseconds(copies[0], copies[1])) : nil
        },
        Prediction(
            id: "second-wait", question: "How long after the first resend does the second one leave, compared with the first wait?",
            kind: .choice(ratios), seen: { observed, report in
                let copies = copiesOfFirst(report)
                guard copies.count > 2 else { return "fewer than two resends were captured" }
                return "\(wait(copies[0], copies[1], nil)), then \(wait(copies[1], copies[2], observed))"
            }) { report in
            let copies = copiesOfFirst(report)
            guard copies.count > 2 else { return nil }
            let ratio = milliseconds(copies[1], copies[2]) / milliseconds(copies[0], copies[1])
            return ratio >= 1.5 ? ratios[1] : ratio <= 0.7 ? ratios[2] : ratios[0]
        },
        Prediction(
            id: "ack-segment", question: "Which segment number carries the server's first ACK of the message?",
            kind: .number, seen: Evidence.segment(carrying: "the server's first ACK of the message")) { report in
            guard let first = clientData(report).first else { return nil }
            let end = first.sequence &+ UInt32(first.length)
            return report.segments.first { $0.direction == .serverToClient && $0.acknowledgment == end }.map { String($0.number) }
        },
        copyLabel,
    ]

    static let fastRetransmit: [Prediction] = [
        Prediction(
            id: "dup-acks", question: "nft drops the third of six segments once. How many duplicate ACKs does the server send before the resend?",
            kind: .number, seen: Evidence.capture("duplicate ACKs before the resend") { report in duplicateAcks(report).filter { $0.number < (firstResend(report)?.number ?? .max) } }) { report in
            guard let resend = firstResend(report) else { return nil }
            return String(duplicateAcks(report).filter { $0.number < resend.number }.count)
        },
        Prediction(
            id: "resend-segment", question: "Which segment number is the resend of the lost segment?",
            kind: .number, seen: Evidence.segment(carrying: "the first resend of the lost segment")) { report in firstResend(report).map { String($0.number) } },
        Prediction(
            id: "resend-wait", question: "How long after the lost segment's first copy does the resend leave?",
            kind: .choice(waits), seen: { observed, report in
                guard let resend = firstResend(report), let original = original(of: resend, report) else { return "no resend was captured" }
                return wait(original, resend, observed)
            }) { report in
            guard let resend = firstResend(report), let original = original(of: resend, report) else { return nil }
            return bucket(milliseconds(original, resend))
        },
        copyLabel,
    ]

    static let synLoss: [Prediction] = [
        Prediction(
            id: "syns", question: "nft drops the client's first SYN. How many SYNs does the client send in all?",
            kind: .number, seen: Evidence.capture("SYNs from the client", clientSYNs)) { report in
            let syns = clientSYNs(report)
            return syns.isEmpty ? nil : String(syns.count)
        },
        Prediction(
            id: "syn-wait", question: "How long after the first SYN does the second leave?",
            kind: .choice(synWaits), seen: { observed, report in
                let syns = clientSYNs(report)
                return syns.count > 1 ? wait(syns[0], syns[1], observed) : "one SYN was captured"
            }) { report in
            let syns = clientSYNs(report)
            guard syns.count > 1 else { return nil }
            let wait = milliseconds(syns[0], syns[1])
            return wait < 150 ? synWaits[0] : wait < 500 ? synWaits[1] : wait < 2000 ? synWaits[2] : synWaits[3]
        },
        Prediction(
            id: "connect-returns", question: "When does the client's blocking connect() return?",
            kind: .choice(connectReturns), seen: { observed, report in
                "the client's connect() returned \(observed); the SYN-ACK is \(numbered(report.segments.first { $0.flags == "S." }))"
            }) { report in
            guard let connect = report.steps(of: "client").first(where: { $0.call == "connect" }), let returned = connect.ended else { return nil }
            guard connect.returnValue == 0 else { return connectReturns[2] }
            let synAck = report.segments.first { $0.flags == "S." }
            return synAck.map { returned >= $0.time } == true ? connectReturns[1] : connectReturns[0]
        },
        copyLabel,
    ]

    static let tailLoss: [Prediction] = [
        Prediction(
            id: "first-resent", question: "nft drops the last two of six segments once. Which of the six (1-6) does the client resend first?",
            kind: .number, seen: { observed, report in "the first resend, \(numbered(firstResend(report))), carries segment \(observed) of the six again" }) { report in
            guard let resend = firstResend(report) else { return nil }
            return clientData(report).firstIndex { $0.sequenceText == resend.sequenceText }.map { String($0 + 1) }
        },
        Prediction(
            id: "resend-wait", question: "How long after that segment's first copy does the resend leave?",
            kind: .choice(waits), seen: { observed, report in
                guard let resend = firstResend(report), let original = original(of: resend, report) else { return "no resend was captured" }
                return wait(original, resend, observed)
            }) { report in
            guard let resend = firstResend(report), let original = original(of: resend, report) else { return nil }
            return bucket(milliseconds(original, resend))
        },
        Prediction(
            id: "dup-acks", question: "How many duplicate ACKs does the server send in the whole run?",
            kind: .number, seen: Evidence.capture("duplicate ACKs", duplicateAcks)) { report in report.segments.isEmpty ? nil : String(duplicateAcks(report).count) },
        copyLabel,
    ]

    static let all: [Exercise] = [
        Exercise(scenario: "loss", variant: "rto", predictions: rto),
        Exercise(scenario: "loss", variant: "fast-retransmit", predictions: fastRetransmit),
        Exercise(scenario: "loss", variant: "syn-loss", predictions: synLoss),
        Exercise(scenario: "loss", variant: "tail-loss", predictions: tailLoss),
    ]
}
