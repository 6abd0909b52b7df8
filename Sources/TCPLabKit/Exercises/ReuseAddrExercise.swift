/// Predictions for reuseaddr, one exercise per variant: the story up to the restart is the same,
/// and the question that matters, whether the new bind() succeeds, has a different answer in each.
enum ReuseAddrExercise {
    static let all: [Exercise] = ReuseAddr.Variant.allCases.map(exercise(variant:))

    /// What the new server's bind() can come back with.
    static let bindOutcomes = ["0", "EADDRINUSE", "EACCES", "EINVAL"]

    static func exercise(variant: ReuseAddr.Variant) -> Exercise {
        let scenario = ReuseAddr(variant: variant)
        let flags = "The old server was started \(ReuseAddr.with(scenario.oldReuses)); the new one is started \(ReuseAddr.with(scenario.newReuses))."
        return Exercise(scenario: ReuseAddr.name, variant: variant.rawValue, predictions: [
            Prediction(
                id: "old-fin-segment", question: "The old server accepts the client and closes the connection at once. Which segment number carries its FIN?",
                kind: .number, seen: Evidence.segment(carrying: "the old server's FIN")) { $0.firstSegment(withFlag: "F", from: .serverToClient).map { String($0.number) } },
            Prediction(
                id: "time-wait-side", question: "The client closes too. Which side's socket is then in TIME_WAIT?",
                kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", ReuseAddr.Moment.bothClosed)) { $0.sides(inState: "TIME_WAIT", at: ReuseAddr.Moment.bothClosed) },
            Prediction(
                id: "port-after-exit", question: "The old server process exits. What does the table show on its port afterwards?",
                kind: .choice(["nothing", "LISTEN", "TIME_WAIT", "CLOSE_WAIT"]), seen: Evidence.port(ReuseAddr.Moment.oldExited)) { report in
                guard let snapshot = report.snapshot(at: ReuseAddr.Moment.oldExited) else { return nil }
                return snapshot.sockets.first?.state ?? "nothing"
            },
            Prediction(
                id: "bind-result", question: flags + " What does the new server's bind() return (the errno's name if it fails)?",
                kind: .choice(bindOutcomes), seen: Evidence.call("the new server's bind()")) { report in
                report.calls("bind", by: "new server").first.flatMap(RunReport.outcome(of:))
            },
        ])
    }
}
