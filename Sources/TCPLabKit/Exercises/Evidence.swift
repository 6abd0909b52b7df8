/// The lines that say where a run showed an answer, for a wrong mark's reason: each names what a
/// student can find in the timeline (a segment number, a socket table and its moment, a call's
/// return, a process's end, a process table's pids). Each is a `Prediction.EvidenceLine`: given
/// the observed answer and the run's report.
enum Evidence {
    typealias Line = Prediction.EvidenceLine

    /// `segment #11 carried the RST`.
    static func segment(carrying what: String) -> Line {
        { observed, _ in "segment #\(observed) carried \(what)" }
    }

    /// `the table after the server's close() showed FIN_WAIT2 for the server`.
    static func table(_ moment: some ScenarioMoment, for whose: String) -> Line {
        let when = moment.text
        return { observed, _ in "the table \(when) showed \(observed) for \(whose)" }
    }

    /// `the table after the client's close() showed TIME_WAIT on: server`.
    static func sides(in state: String, _ moment: some ScenarioMoment) -> Line {
        let when = moment.text
        return { observed, _ in "the table \(when) showed \(state) on: \(observed)" }
    }

    /// `the table after the old server exited showed on the port: TIME_WAIT`.
    static func port(_ moment: some ScenarioMoment) -> Line {
        let when = moment.text
        return { observed, _ in "the table \(when) showed on the port: \(observed)" }
    }

    /// `the client's send("hehe") returned 4`.
    static func call(_ call: String) -> Line {
        { observed, _ in "\(call) returned \(observed)" }
    }

    /// `the capture holds 2 segments with the FIN flag: #8, #10`, for counts read from the capture;
    /// `pick` gives the segments counted.
    static func capture(_ what: String, _ pick: @escaping @Sendable (RunReport) -> [SegmentRow]) -> Line {
        { observed, report in
            let rows = pick(report)
            return "the capture holds \(observed) \(what)" + (rows.isEmpty ? "" : ": \(numbers(rows))")
        }
    }

    /// `the client was killed by SIGPIPE (its send("wawa") never returned)`, `the client exited 0`:
    /// the call the role died in, when it died in one, is named.
    static func ending(of role: String) -> Line {
        { observed, report in
            guard observed.hasPrefix("killed") else { return "the \(role) \(observed)" }
            let inCall = report.steps(of: role).last { $0.killedBy != nil }.map { " (its \($0.text) never returned)" } ?? ""
            return "the \(role) was \(observed)" + inCall
        }
    }

    /// `the process table after the clients left listed 2 zombies (PIDs 22047, 22048)`: `pick`
    /// gives the rows counted or described, `what` names them.
    static func processes(_ moment: some ScenarioMoment, _ what: String,
                          _ pick: @escaping @Sendable (ProcessSnapshot) -> [ProcessRow]) -> Line {
        let when = moment.text
        return { observed, report in
            guard let table = report.processTable(at: moment) else {
                return "the process table \(when) showed \(observed) \(what)"
            }
            return "the process table \(when) listed \(observed) \(what)" + pids(pick(table).map(\.process.pid))
        }
    }

    /// `the /proc census with all clients connected counted 3 children of the server (PIDs …)`.
    static func census(_ moment: some ScenarioMoment, _ what: CensusCount) -> Line {
        let when = moment.text
        return { observed, report in
            let census = report.census(at: moment)
            let server = census.map { " (server pid \($0.pid))" } ?? ""
            switch what {
            case .children: return "the /proc census \(when) counted \(observed) children of the server" + pids(census?.children ?? [])
            case .threads: return "the /proc census \(when) counted \(observed) threads in the server" + server
            }
        }
    }

    /// What a census counts.
    enum CensusCount { case children, threads }

    /// `#4, #6, #8` (at most 12, then `…`).
    static func numbers(_ rows: [SegmentRow]) -> String {
        let shown = rows.prefix(12).map { "#\($0.number)" }.joined(separator: ", ")
        return rows.count > 12 ? shown + ", …" : shown
    }

    /// ` (PIDs 22047, 22048)`, ` (PID 22047)`, or nothing for none.
    static func pids(_ pids: [Int32]) -> String {
        pids.isEmpty ? "" : " (PID\(pids.count == 1 ? "" : "s") \(pids.map(String.init).joined(separator: ", ")))"
    }
}
