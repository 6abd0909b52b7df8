/// Predictions for broken-pipe: what the kernel does after the server's close, and how the
/// client's next sends end.
enum BrokenPipeExercise {
    static let states = ["ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSED"]
    static let endings = ["exited 0", "killed by SIGPIPE", "killed by SIGTERM"]

    static let all: [Exercise] = [
        Exercise(scenario: "broken-pipe", predictions: [
            Prediction(
                id: "server-state", question: "After the server's close(), which state is the server's side of the connection in?",
                kind: .choice(states), seen: Evidence.table(BrokenPipe.Moment.afterServerClose, for: "the server")) { $0.state(of: "server", at: BrokenPipe.Moment.afterServerClose) },
            Prediction(
                id: "client-state", question: "And the client's side, which has not closed yet?",
                kind: .choice(states), seen: Evidence.table(BrokenPipe.Moment.afterServerClose, for: "the client")) { $0.state(of: "client", at: BrokenPipe.Moment.afterServerClose) },
            Prediction(
                id: "hehe-send", question: "What does the client's send(\"hehe\") return?",
                kind: .number, seen: Evidence.call("the client's send(\"hehe\")")) { report in
                report.steps(of: "client").first { $0.call == "send" && $0.data == "hehe" }.flatMap { $0.returnValue }.map(String.init)
            },
            Prediction(
                id: "rst-segment", question: "Which segment number carries the RST?",
                kind: .number, seen: Evidence.segment(carrying: "the RST")) { $0.firstSegment(withFlag: "R").map { String($0.number) } },
            Prediction(
                id: "client-ending", question: "How does the client end after it sends \"wawa\"?",
                kind: .choice(endings), seen: Evidence.ending(of: "client")) { $0.ending(of: "client") },
        ]),
    ]
}
