/// Predictions for unread-close: the same questions for both variants (bytes left unread, or
/// SO_LINGER {on, 0}); the answers differ in the Recv-Q and in where the RST falls.
enum UnreadCloseExercise {
    typealias Moment = UnreadClose.Moment

    static let all: [Exercise] = UnreadClose.Variant.allCases.map(exercise(variant:))

    /// What the client's recv() can come back with.
    static let recvOutcomes = ["0 (EOF)", "ECONNRESET", "EPIPE", "ETIMEDOUT"]

    static func exercise(variant: UnreadClose.Variant) -> Exercise {
        let before = variant == .lingerZero
            ? "The server has read and echoed \"hello\", then sets SO_LINGER {on, 0}. "
            : "The client has sent \"hello\" (5 bytes) and the server has not read it. "
        return Exercise(scenario: UnreadClose.name, variant: variant.rawValue, predictions: [
            Prediction(
                id: "recv-q", question: before + "How many bytes does /proc show in the Recv-Q of the server's socket just before its close()?",
                kind: .number, seen: Evidence.table(Moment.beforeClose, for: "the Recv-Q of the server's socket")) { report in
                report.snapshot(at: Moment.beforeClose)?.sockets.first { $0.role == "server" && $0.state != "LISTEN" }.map { String($0.receiveQueue) }
            },
            Prediction(
                id: "close-flags", question: "Which flags does the segment the server's close() causes carry?",
                kind: .choice(["F.", "R.", "R", "no segment"]), seen: { observed, report in
                    guard let close = report.calls("close", by: "server").first else { return "the server made no close()" }
                    guard let segment = report.segments.first(where: { $0.direction == .serverToClient && $0.time >= close.began }) else {
                        return "no segment left the server after its close()"
                    }
                    return "segment #\(segment.number), the server's first after its close(), carried [\(observed)]"
                }) { report in
                guard let close = report.calls("close", by: "server").first else { return nil }
                return report.segments.first { $0.direction == .serverToClient && $0.time >= close.began }?.flags ?? "no segment"
            },
            Prediction(
                id: "rst-segment", question: "Which segment number carries the RST?",
                kind: .number, seen: Evidence.segment(carrying: "the RST")) { $0.firstSegment(withFlag: "R").map { String($0.number) } },
            Prediction(
                id: "client-recv", question: "What does the client's next recv() return (the errno's name if it fails)?",
                kind: .choice(recvOutcomes), seen: Evidence.call("the client's recv() after the RST")) { report in
                guard let reset = report.firstSegment(withFlag: "R") else { return nil }
                return report.call("recv", by: "client", after: reset).flatMap(RunReport.outcome(of:))
            },
            Prediction(
                id: "time-wait-side", question: "After the RST, which side is in TIME_WAIT?",
                kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", Moment.afterClose)) { $0.sides(inState: "TIME_WAIT", at: Moment.afterClose) },
        ])
    }
}
