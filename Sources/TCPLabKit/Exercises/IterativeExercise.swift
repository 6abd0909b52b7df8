/// Predictions for iterative: what the kernel does for a second client while the server's
/// program is busy with the first (connection 1 is client A, connection 2 client B).
enum IterativeExercise {
    static let moment = Iterative.Moment.bInAcceptQueue

    static let all: [Exercise] = [
        Exercise(scenario: "iterative", predictions: [
            Prediction(
                id: "b-connect", question: "The server is inside its loop with client A and does not call accept(). What does client B's connect() return?",
                kind: .choice(["0", "ECONNREFUSED", "ETIMEDOUT", "blocks until A leaves"]), seen: { _, report in
                    guard let connect = report.calls("connect", by: "client B").first else { return "client B made no connect()" }
                    let finA = report.firstSegment(withFlag: "F", from: .clientToServer, connection: 1)
                    let returned = "client B's connect() returned \(RunReport.outcome(of: connect) ?? "nothing")"
                    guard let finA else { return returned + ", and client A's FIN is not in the capture" }
                    let after = connect.ended.map { $0 >= finA.time } ?? true
                    return returned + " \(after ? "after" : "before") client A's FIN (#\(finA.number))"
                }) { report in
                guard let connect = report.calls("connect", by: "client B").first else { return nil }
                if let finA = report.firstSegment(withFlag: "F", from: .clientToServer, connection: 1),
                   let ended = connect.ended, ended >= finA.time { return "blocks until A leaves" }
                return RunReport.outcome(of: connect)
            },
            Prediction(
                id: "b-data-ack", question: "Client B sends \"hello from b\" in segment 11. Which segment number acknowledges it?",
                kind: .number, seen: Evidence.segment(carrying: "the ACK of B's data")) { report in
                guard let data = report.segments.first(where: { $0.connection == 2 && $0.direction == .clientToServer && $0.length > 0 })
                else { return nil }
                let end = data.sequence &+ UInt32(data.length)
                return report.segments.first {
                    $0.number > data.number && $0.connection == 2 && $0.direction == .serverToClient && $0.acknowledgment == end
                }.map { String($0.number) }
            },
            Prediction(
                id: "b-recv-q", question: "While B waits, how many bytes does /proc show in the Recv-Q of the server's side of B's connection?",
                kind: .number, seen: Evidence.table(moment, for: "the Recv-Q of the server's side of B")) { report in
                report.snapshot(at: moment)?.sockets.first { ($0.role ?? "").hasPrefix("server side of B") }.map { String($0.receiveQueue) }
            },
            Prediction(
                id: "accept-queue", question: "How many connections wait in the listener's accept queue (its Recv-Q in /proc)?",
                kind: .number, seen: Evidence.table(moment, for: "the Recv-Q of the listener")) { report in
                report.snapshot(at: moment)?.sockets.first { $0.state == "LISTEN" }.map { String($0.receiveQueue) }
            },
            Prediction(
                id: "b-answer", question: "Does the server's answer to B come before or after client A's FIN?",
                kind: .choice(["before A's FIN", "after A's FIN", "never"]), seen: { _, report in
                    let finA = report.firstSegment(withFlag: "F", from: .clientToServer, connection: 1)
                    let answer = report.segments.first { $0.connection == 2 && $0.direction == .serverToClient && $0.length > 0 }
                    return "the server's first data to B is " + (answer.map { "segment #\($0.number)" } ?? "in no segment")
                        + ", client A's FIN " + (finA.map { "segment #\($0.number)" } ?? "is not in the capture")
                }) { report in
                guard let finA = report.firstSegment(withFlag: "F", from: .clientToServer, connection: 1) else { return nil }
                guard let answer = report.segments.first(where: { $0.connection == 2 && $0.direction == .serverToClient && $0.length > 0 })
                else { return "never" }
                return answer.number > finA.number ? "after A's FIN" : "before A's FIN"
            },
        ]),
    ]
}
