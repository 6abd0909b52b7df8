/// Predictions for close-states, one set per variant: each variant closes the connection in a
/// different order, so each tells a different story about FINs, ACKs and the states in between.
enum CloseStatesExercise {
    typealias Moment = CloseStates.Moment

    static let all: [Exercise] = [serverFirst, clientFirst, simultaneous, halfClose, listener]

    /// The server is stopped with SIGINT first; the client closes later.
    static let serverFirst = Exercise(scenario: CloseStates.name, variant: CloseStates.Variant.serverFirst.rawValue, predictions: [
        Prediction(
            id: "server-fin-segment", question: "The handshake, \"hello\" and its echo take segments 1 to 7. Which segment number carries the server's FIN?",
            kind: .number, seen: Evidence.segment(carrying: "the server's FIN")) { $0.firstSegment(withFlag: "F", from: .serverToClient).map { String($0.number) } },
        Prediction(
            id: "server-state", question: "After the server is stopped, which state is the server's side of the connection in?",
            kind: .choice(LabChoices.closeStates), seen: Evidence.table(Moment.firstClosed, for: "the server")) { $0.stateOrGone(of: "server", at: Moment.firstClosed) },
        Prediction(
            id: "client-state", question: "And the client's side, which has not called close() yet?",
            kind: .choice(LabChoices.closeStates), seen: Evidence.table(Moment.firstClosed, for: "the client")) { $0.stateOrGone(of: "client", at: Moment.firstClosed) },
        Prediction(
            id: "client-fin-segment", question: "Then the client calls close(). Which segment number carries the client's FIN?",
            kind: .number, seen: Evidence.segment(carrying: "the client's FIN")) { $0.firstSegment(withFlag: "F", from: .clientToServer).map { String($0.number) } },
        Prediction(
            id: "time-wait-side", question: "When both have closed, which side is in TIME_WAIT?",
            kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", Moment.secondClosed)) { $0.sides(inState: "TIME_WAIT", at: Moment.secondClosed) },
    ])

    /// The client closes first; the server reads the EOF and closes.
    static let clientFirst = Exercise(scenario: CloseStates.name, variant: CloseStates.Variant.clientFirst.rawValue, predictions: [
        Prediction(
            id: "client-state", question: "After the client's close(), which state is the client's side in?",
            kind: .choice(LabChoices.closeStates), seen: Evidence.table(Moment.firstClosed, for: "the client")) { $0.stateOrGone(of: "client", at: Moment.firstClosed) },
        Prediction(
            id: "server-state", question: "And the server's side, which has not called close() yet?",
            kind: .choice(LabChoices.closeStates), seen: Evidence.table(Moment.firstClosed, for: "the server")) { $0.stateOrGone(of: "server", at: Moment.firstClosed) },
        Prediction(
            id: "server-recv", question: "What does the server's recv() return after the client's FIN arrived?",
            kind: .number, seen: Evidence.call("the server's recv() after the client's FIN")) { report in
            report.firstSegment(withFlag: "F", from: .clientToServer)
                .flatMap { report.call("recv", by: "server", after: $0) }?.returnValue.map(String.init)
        },
        Prediction(
            id: "time-wait-side", question: "When both have closed, which side is in TIME_WAIT?",
            kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", Moment.secondClosed)) { $0.sides(inState: "TIME_WAIT", at: Moment.secondClosed) },
        Prediction(
            id: "server-after", question: "And what does the table show for the server's side of the connection at that moment?",
            kind: .choice(LabChoices.closeStates), seen: Evidence.table(Moment.secondClosed, for: "the server")) { $0.stateOrGone(of: "server", at: Moment.secondClosed) },
    ])

    /// Both sides close before either FIN has arrived (the lab slows lo down so the FINs cross).
    static let simultaneous = Exercise(scenario: CloseStates.name, variant: CloseStates.Variant.simultaneous.rawValue, predictions: [
        Prediction(
            id: "fin-count", question: "How many segments with the FIN flag does the capture hold?",
            kind: .number, seen: Evidence.capture("segments with the FIN flag") { $0.segments.filter { $0.flags.contains("F") } }) { report in String(report.segments.filter { $0.flags.contains("F") }.count) },
        Prediction(
            id: "fin-acks-fin", question: "Does either FIN acknowledge the other side's FIN?",
            kind: .choice(["yes", "no"]), seen: { observed, report in
                guard let server = report.firstSegment(withFlag: "F", from: .serverToClient),
                      let client = report.firstSegment(withFlag: "F", from: .clientToServer) else { return "the capture holds one FIN or none" }
                func fin(_ row: SegmentRow, _ whose: String) -> String {
                    "\(whose) FIN #\(row.number) (seq \(row.sequence), ack \(row.acknowledgment.map(String.init) ?? "none"))"
                }
                return "\(fin(server, "the server's")) and \(fin(client, "the client's")): "
                    + (observed == "yes" ? "one acknowledges the other's sequence + 1" : "neither acknowledges the other's sequence + 1")
            }) { report in
            guard let server = report.firstSegment(withFlag: "F", from: .serverToClient),
                  let client = report.firstSegment(withFlag: "F", from: .clientToServer) else { return nil }
            let crossed = server.acknowledgment == client.sequence &+ 1 || client.acknowledgment == server.sequence &+ 1
            return crossed ? "yes" : "no"
        },
        Prediction(
            id: "between-state", question: "Each side receives the other's FIN while its own FIN is not yet acknowledged. Which state is each side in then?",
            kind: .choice(LabChoices.closeStates), seen: { observed, report in
                let server = report.firstSegment(withFlag: "F", from: .serverToClient).map { "#\($0.number)" } ?? "none"
                let client = report.firstSegment(withFlag: "F", from: .clientToServer).map { "#\($0.number)" } ?? "none"
                return "the capture (the server's FIN \(server), the client's FIN \(client), and the ACKs between them) puts each side in \(observed)"
            }) { report in
            // Read from the capture, which sees every segment: /proc is only polled.
            let states = [SegmentRow.Direction.serverToClient, .clientToServer].map { report.stateAfterPeerFin(ownDirection: $0) }
            guard let first = states[0], states.allSatisfy({ $0 == first }) else { return states.compactMap { $0 }.joined(separator: " and ") }
            return first
        },
        Prediction(
            id: "close-segments", question: "From the first FIN to the end, how many segments does closing take in all?",
            kind: .number, seen: { observed, report in
                guard let first = report.segments.first(where: { $0.flags.contains("F") }), let last = report.segments.last else {
                    return "the capture holds no FIN"
                }
                return "the first FIN is segment #\(first.number) and the capture ends at #\(last.number): \(observed) segments"
            }) { report in
            report.segments.firstIndex { $0.flags.contains("F") }.map { String(report.segments.count - $0) }
        },
        Prediction(
            id: "time-wait-side", question: "At the end, which side is in TIME_WAIT?",
            kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", Moment.end)) { $0.sides(inState: "TIME_WAIT", at: Moment.end) },
    ])

    /// The client sends its request and shuts down its sending side; the server still answers.
    static let halfClose = Exercise(scenario: CloseStates.name, variant: CloseStates.Variant.halfClose.rawValue, predictions: [
        Prediction(
            id: "client-state", question: "After the client's shutdown(SHUT_WR), which state is the client's side in?",
            kind: .choice(LabChoices.closeStates), seen: Evidence.table(Moment.firstClosed, for: "the client")) { $0.stateOrGone(of: "client", at: Moment.firstClosed) },
        Prediction(
            id: "server-second-recv", question: "The server's first recv() returns the 5 bytes of \"hello\". What does its second recv() return?",
            kind: .number, seen: Evidence.call("the server's second recv()")) { report in
            let reads = report.calls("recv", by: "server")
            return reads.count >= 2 ? reads[1].returnValue.map(String.init) : nil
        },
        Prediction(
            id: "server-send", question: "After that, what does the server's send(\"hello\") return?",
            kind: .number, seen: Evidence.call("the server's send(\"hello\")")) { report in report.calls("send", by: "server").last?.returnValue.map(String.init) },
        Prediction(
            id: "client-recv", question: "What does the client's recv() return, although the client has already sent its FIN?",
            kind: .number, seen: Evidence.call("the client's recv() after its shutdown(SHUT_WR)")) { report in
            guard let shutdown = report.calls("shutdown", by: "client").first else { return nil }
            return report.calls("recv", by: "client").first { $0.began > shutdown.began }?.returnValue.map(String.init)
        },
        Prediction(
            id: "time-wait-side", question: "When both have closed, which side is in TIME_WAIT?",
            kind: .choice(LabChoices.sides), seen: Evidence.sides(in: "TIME_WAIT", Moment.secondClosed)) { $0.sides(inState: "TIME_WAIT", at: Moment.secondClosed) },
    ])

    /// A listening socket, with no connection, is closed.
    static let listener = Exercise(scenario: CloseStates.name, variant: CloseStates.Variant.listener.rawValue, predictions: [
        Prediction(
            id: "listen-state", question: "While the server waits for clients, which state is its socket in?",
            kind: .choice(["LISTEN", "ESTABLISHED", "SYN_RECV", "CLOSED"]), seen: Evidence.table(Moment.listening, for: "the server")) { report in
            report.snapshot(at: Moment.listening)?.sockets.first { $0.role == "server" }?.state
        },
        Prediction(
            id: "segment-count", question: "How many segments does closing the listening socket put on the wire?",
            kind: .number, seen: Evidence.capture("segments") { $0.segments }) { report in String(report.segments.count) },
        Prediction(
            id: "after-close", question: "After close(), what does the socket table show on the port?",
            kind: .choice(["LISTEN", "CLOSED", "TIME_WAIT", "nothing"]), seen: Evidence.port(Moment.listenerClosed)) { report in
            guard let snapshot = report.snapshot(at: Moment.listenerClosed) else { return nil }
            return snapshot.sockets.first?.state ?? "nothing"
        },
    ])
}

extension RunReport {
    /// The state the side sending in `ownDirection` entered when the peer's FIN arrived, judged
    /// from the capture, which sees each segment as it reaches the other side. A side whose FIN
    /// acknowledges the peer's FIN closed only after reading it: it was in CLOSE_WAIT. A side
    /// whose FIN went out first was in FIN_WAIT1: if the peer's FIN came before any ACK of its own
    /// FIN it went to CLOSING, otherwise (FIN_WAIT2) straight to TIME_WAIT.
    func stateAfterPeerFin(ownDirection: SegmentRow.Direction) -> String? {
        let peerDirection: SegmentRow.Direction = ownDirection == .serverToClient ? .clientToServer : .serverToClient
        guard let peerFin = firstSegment(withFlag: "F", from: peerDirection) else { return nil }
        guard let ownFin = firstSegment(withFlag: "F", from: ownDirection), ownFin.acknowledgment != peerFin.sequence &+ 1 else {
            return "CLOSE_WAIT"
        }
        let acked = segments.contains {
            $0.direction == peerDirection && $0.number <= peerFin.number && $0.acknowledgment == ownFin.sequence &+ 1
        }
        return acked ? "TIME_WAIT" : "CLOSING"
    }
}
