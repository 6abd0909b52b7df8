import Foundation

/// Predictions for keepalive, the same questions with the server's host vanished and alive:
/// when the first probe leaves, how many go unanswered, what the blocked recv() returns, and
/// what the server's socket shows at the end. Read from the capture, the steps and /proc.
enum KeepaliveExercise {
    typealias Moment = Keepalive.Moment
    static let recvOutcomes = ["ETIMEDOUT", "ECONNRESET", "0 (EOF)", "the server's data"]

    static let predictions: [Prediction] = [
        Prediction(
            id: "first-probe-after",
            question: "TCP_KEEPIDLE is 1 s. How many whole seconds after the handshake does the first keep-alive probe leave?",
            kind: .number, seen: { observed, report in
                "the first probe\(FlowControlExercise.number(probes(report).first)) left \(observed) s after the segment before it"
            }) { report in
            let probes = probes(report)
            guard let first = probes.first, let handshake = report.segments.last(where: { $0.number < first.number }) else { return nil }
            return String(Int((Double(first.time - handshake.time) / 1_000_000).rounded()))
        },
        Prediction(
            id: "unanswered-probes", question: "How many probes go unanswered?",
            kind: .number, seen: Evidence.capture("probes with no answer from the server", unanswered)) { report in
            probes(report).isEmpty ? nil : String(unanswered(report).count)
        },
        Prediction(
            id: "recv-returns", question: "The client sits in recv() the whole time. What does that recv() return in the end?",
            kind: .choice(recvOutcomes), seen: Evidence.call("the client's recv()")) { report in
            guard let receive = report.steps(of: "client").first(where: { $0.call == "recv" && $0.ended != nil }) else { return nil }
            if let failure = receive.failure { return failure.name }
            return receive.returnValue == 0 ? recvOutcomes[2] : recvOutcomes[3]
        },
        Prediction(
            id: "server-state", question: "At the end, what state is the server's socket in (the last socket table)?",
            kind: .choice(["ESTABLISHED", "CLOSE_WAIT", "CLOSED"]), seen: { observed, report in
                let moment: Moment = report.snapshot(at: Moment.afterTimeout) != nil ? .afterTimeout : .afterProbes
                return "the table \(moment.text) showed the server's socket \(observed)"
            }) { report in
            guard let snapshot = report.snapshot(at: Moment.afterTimeout) ?? report.snapshot(at: Moment.afterProbes) else { return nil }
            return snapshot.sockets.first { $0.role == "server" && $0.state != "LISTEN" }?.state ?? "CLOSED"
        },
    ]

    /// The probes the server did not answer: the next segment captured is not the server's.
    static func unanswered(_ report: RunReport) -> [SegmentRow] {
        probes(report).filter { probe in
            report.segments.first { $0.number > probe.number }?.direction != .serverToClient
        }
    }

    /// The client's probes: no data, sequence number one below the next it would send (relative
    /// numbers, as the rows hold them), read from the rows themselves rather than the analysis labels.
    static func probes(_ report: RunReport) -> [SegmentRow] {
        var next: UInt32?
        var probes: [SegmentRow] = []
        for row in report.segments where row.direction == .clientToServer {
            let control = row.flags.contains("S") || row.flags.contains("F") || row.flags.contains("R")
            if let expected = next, !control, row.length == 0, row.sequence == expected &- 1 {
                probes.append(row)
                continue
            }
            let end = row.sequence &+ UInt32(row.length) &+ (row.flags.contains("S") || row.flags.contains("F") ? 1 : 0)
            if next.map({ SegmentAnalysis.isAfter(end, $0) }) ?? true { next = end }
        }
        return probes
    }

    static let all: [Exercise] = [
        Exercise(scenario: "keepalive", variant: "peer-vanished", predictions: predictions),
        Exercise(scenario: "keepalive", variant: "peer-alive", predictions: predictions),
    ]
}
