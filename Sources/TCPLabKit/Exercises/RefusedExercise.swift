/// Predictions for refused: what a kernel answers for a port nobody listens on, and what
/// connect() makes of it.
enum RefusedExercise {
    static let all: [Exercise] = [
        Exercise(scenario: "refused", predictions: [
            Prediction(
                id: "answer-flags", question: "No program listens on the port. Which flags does the answer to the client's SYN carry?",
                kind: .choice(["S.", "R.", "R", "no answer"]), seen: { observed, report in
                    guard let syn = report.segments.first(where: { $0.flags == "S" }) else { return "the capture holds no SYN" }
                    guard let answer = report.segments.first(where: { $0.number > syn.number && $0.direction == .serverToClient }) else {
                        return "no segment answered the client's SYN #\(syn.number)"
                    }
                    return "segment #\(answer.number), the answer to the client's SYN #\(syn.number), carried [\(observed)]"
                }) { report in
                guard let syn = report.segments.first(where: { $0.flags == "S" }) else { return nil }
                return report.segments.first { $0.number > syn.number && $0.direction == .serverToClient }?.flags ?? "no answer"
            },
            Prediction(
                id: "rst-ack", question: "The client's SYN has relative sequence number 0. What is the relative acknowledgment number of the answer?",
                kind: .number, seen: { observed, report in
                    guard let reset = report.firstSegment(withFlag: "R", from: .serverToClient) else { return "the capture holds no RST" }
                    return "segment #\(reset.number), the RST, acknowledges \(observed) (relative to the client's SYN)"
                }) { report in
                // Relative to the SYN's own number, so that --absolute gives the same answer.
                guard let syn = report.segments.first(where: { $0.flags == "S" }),
                      let ack = report.firstSegment(withFlag: "R", from: .serverToClient)?.acknowledgment else { return nil }
                return String(ack &- syn.sequence)
            },
            Prediction(
                id: "segment-count", question: "How many segments does the capture hold in all?",
                kind: .number, seen: Evidence.capture("segments") { $0.segments }) { report in String(report.segments.count) },
            Prediction(
                id: "connect-result", question: "What does connect() return (the errno's name if it fails)?",
                kind: .choice(["0", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EADDRINUSE"]), seen: Evidence.call("the client's connect()")) { report in
                report.calls("connect", by: "client").first.flatMap(RunReport.outcome(of:))
            },
        ]),
    ]
}
