/// Predictions for broken-pipe's fixed client, which reads the EOF before it sends again: the
/// same opening as the default run, and none of its RST or SIGPIPE.
enum BrokenPipeFixedClientExercise {
    static let all: [Exercise] = [
        Exercise(scenario: "broken-pipe", variant: "fixed-client", predictions: [
            Prediction(
                id: "eof-recv", question: "The server has closed after answering HAHA. What does the client's recv() return before it would send \"hehe\"?",
                kind: .number, seen: Evidence.call("the client's second recv()")) { report in
                // The client's second read: the first brought HAHA. (Its start may come after the
                // FIN was captured when the server is quick, so it is found by order, not by time.)
                report.calls("recv", by: "client").dropFirst().first?.returnValue.map(String.init)
            },
            Prediction(
                id: "rst-count", question: "How many segments in the capture carry the RST flag?",
                kind: .number, seen: Evidence.capture("segments with the RST flag") { $0.segments.filter { $0.flags.contains("R") } }) { report in String(report.segments.filter { $0.flags.contains("R") }.count) },
            Prediction(
                id: "client-fin-segment", question: "The client closes after the EOF. Which segment number carries the client's FIN?",
                kind: .number, seen: Evidence.segment(carrying: "the client's FIN")) { $0.firstSegment(withFlag: "F", from: .clientToServer).map { String($0.number) } },
            Prediction(
                id: "time-wait-side", question: "After both have closed, which side is in TIME_WAIT?",
                kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", BrokenPipe.Moment.afterClientClose)) { $0.sides(inState: "TIME_WAIT", at: BrokenPipe.Moment.afterClientClose) },
            Prediction(
                id: "client-ending", question: "How does the client end?",
                kind: .choice(BrokenPipeExercise.endings), seen: Evidence.ending(of: "client")) { $0.ending(of: "client") },
        ]),
    ]
}
