import Foundation

/// Predictions for backlog: how many of 5 clients get through a listen(2) queue nobody accepts
/// from, what the kernel answers the others, and how their SYN retransmissions are spaced.
/// Read from the capture, the clients' connect() endpoints and the last socket snapshot.
enum BacklogExercise {
    static let answers = ["a SYN-ACK", "an RST", "nothing at all"]

    static let all: [Exercise] = [
        Exercise(scenario: "backlog", variant: "default", predictions: [completed, acceptQueue, synSent, answer, firstRetransmission]),
        Exercise(scenario: "backlog", variant: "patient", predictions: [completed, synSent, answer, firstRetransmission, secondRetransmission]),
    ]

    static let completed = Prediction(
        id: "completed", question: "The server calls listen(fd, 2) and never accept(). 5 clients connect at once. How many complete the three-way handshake?",
        kind: .number, seen: { observed, report in
            let acks = endpoints(report).compactMap { client in
                report.segments(to: client).first { $0.flags == "S." }.flatMap { synAck in
                    report.segments(from: client).first { $0.number > synAck.number && $0.flags == "." }
                }
            }
            return "the capture holds \(observed) clients' ACKs of the server's SYN-ACK" + (acks.isEmpty ? "" : ": \(Evidence.numbers(acks))")
        }) { report in
        let clients = endpoints(report)
        guard !clients.isEmpty else { return nil }
        return String(clients.filter { handshakeDone(report, $0) }.count)
    }

    static let acceptQueue = Prediction(
        id: "accept-queue", question: "What does /proc/net/tcp show as the LISTEN socket's Recv-Q (the accept queue) at the end?",
        kind: .number, seen: lastLookTable("in the LISTEN socket's Recv-Q")) { report in
        lastLook(report)?.sockets.first { $0.state == "LISTEN" }.map { String($0.receiveQueue) }
    }

    static let synSent = Prediction(
        id: "syn-sent", question: "How many clients are still in SYN_SENT at the end?",
        kind: .number, seen: lastLookTable("clients' sockets in SYN_SENT")) { report in
        lastLook(report).map { snapshot in
            String(snapshot.sockets.filter { ($0.role ?? "").hasPrefix("client ") && $0.state == "SYN_SENT" }.count)
        }
    }

    static let answer = Prediction(
        id: "server-answer", question: "What does the server's kernel send back to a SYN that arrives when the accept queue is full?",
        kind: .choice(answers), seen: { observed, report in
            guard let end = lastLook(report)?.time, let client = endpoints(report).first(where: { !handshakeDone(report, $0) }) else {
                return "the capture showed \(observed)"
            }
            let replies = report.segments(to: client).filter { $0.time <= end }
            let shown = replies.map { "#\($0.number) [\($0.flags)]" }.joined(separator: ", ")
            return "the segments to \(client), the first client that did not complete, before the lab's last look: "
                + (replies.isEmpty ? "none" : shown)
        }) { report in
        // The first client that did not complete; only what came before the lab's last look counts
        // (the lab's teardown is not part of the story).
        guard let end = lastLook(report)?.time,
              let client = endpoints(report).first(where: { !handshakeDone(report, $0) })
        else { return nil }
        let replies = report.segments(to: client).filter { $0.time <= end }
        if replies.contains(where: { $0.flags.contains("R") }) { return answers[1] }
        if replies.contains(where: { $0.flags.contains("S") }) { return answers[0] }
        return answers[2]
    }

    static let firstRetransmission = Prediction(
        id: "retransmit-after", question: "After how many seconds (rounded) does such a client send its SYN again?",
        kind: .number, seen: { observed, report in synGap(observed, report, 0) }) { report in interval(report, 0) }

    static let secondRetransmission = Prediction(
        id: "second-retransmit-after", question: "And how many seconds (rounded) after that retransmission does the next one come?",
        kind: .number, seen: { observed, report in synGap(observed, report, 1) }) { report in interval(report, 1) }

    // MARK: reading the run

    /// `the table after the second SYN retransmissions showed 2 in the LISTEN socket's Recv-Q`.
    static func lastLookTable(_ what: String) -> Prediction.EvidenceLine {
        { observed, report in "the table \(lastLook(report)?.moment ?? "at the lab's last look") showed \(observed) \(what)" }
    }

    /// `client 127.0.0.1:41484's SYNs #12 and #17 left 1 s apart`.
    static func synGap(_ observed: String, _ report: RunReport, _ index: Int) -> String {
        guard let client = endpoints(report).first(where: { !handshakeDone(report, $0) }) else { return "the capture showed \(observed) s" }
        let syns = syns(report, client)
        guard syns.count > index + 1 else { return "client \(client) sent \(syns.count) SYNs" }
        return "client \(client)'s SYNs #\(syns[index].number) and #\(syns[index + 1].number) left \(observed) s apart"
    }

    /// The socket table of the lab's last look (after the first or, patient, the second SYN retransmissions).
    static func lastLook(_ report: RunReport) -> RunReport.Snapshot? {
        report.snapshot(at: Backlog.Moment.afterSecondRetransmissions) ?? report.snapshot(at: Backlog.Moment.afterFirstRetransmissions)
    }

    /// The clients' own endpoints in connect() order (the syn-clients role notes `client N: connect(…)`).
    static func endpoints(_ report: RunReport) -> [String] {
        report.steps(of: "clients").filter { $0.call == "connect" }.compactMap(\.local)
    }

    /// The client's SYNs (without ACK), first one and retransmissions.
    static func syns(_ report: RunReport, _ client: String) -> [SegmentRow] {
        report.segments(from: client).filter { $0.flags == "S" }
    }

    /// Whether the server answered with a SYN-ACK and the client acknowledged it.
    static func handshakeDone(_ report: RunReport, _ client: String) -> Bool {
        guard let synAck = report.segments(to: client).first(where: { $0.flags == "S." }) else { return false }
        return report.segments(from: client).contains { $0.number > synAck.number && $0.flags == "." }
    }

    /// Seconds between SYN `index` and `index + 1` of the first client that did not complete, rounded.
    static func interval(_ report: RunReport, _ index: Int) -> String? {
        guard let client = endpoints(report).first(where: { !handshakeDone(report, $0) }) else { return nil }
        let times = syns(report, client).map(\.time)
        guard times.count > index + 1 else { return nil }
        return String(Int((Double(times[index + 1] - times[index]) / 1_000_000).rounded()))
    }
}
