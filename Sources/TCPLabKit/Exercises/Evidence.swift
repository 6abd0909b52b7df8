/// The lines that say where a run showed an answer, for a wrong mark's reason: each names what a
/// student can find in the timeline (a segment number, a socket table and its moment, a call's
/// return, a process's end).
enum Evidence {
    /// `segment #11 carried the RST`.
    static func segment(carrying what: String) -> @Sendable (String) -> String {
        { "segment #\($0) carried \(what)" }
    }

    /// `the table after the server's close() showed FIN_WAIT2 for the server`.
    static func table(_ moment: some ScenarioMoment, for whose: String) -> @Sendable (String) -> String {
        let when = moment.text
        return { "the table \(when) showed \($0) for \(whose)" }
    }

    /// `the table after the client's close() showed TIME_WAIT on: server`.
    static func sides(in state: String, _ moment: some ScenarioMoment) -> @Sendable (String) -> String {
        let when = moment.text
        return { "the table \(when) showed \(state) on: \($0)" }
    }

    /// `the table after the old server exited showed on the port: TIME_WAIT`.
    static func port(_ moment: some ScenarioMoment) -> @Sendable (String) -> String {
        let when = moment.text
        return { "the table \(when) showed on the port: \($0)" }
    }

    /// `the client's send("hehe") returned 4`.
    static func call(_ call: String) -> @Sendable (String) -> String {
        { "\(call) returned \($0)" }
    }

    /// `the capture holds 2`, for counts read from the capture.
    static func capture(_ what: String) -> @Sendable (String) -> String {
        { "the capture holds \($0) \(what)" }
    }

    /// `the client was killed by SIGPIPE`, `the client exited 0`.
    static func ending(of role: String) -> @Sendable (String) -> String {
        { $0.hasPrefix("killed") ? "the \(role) was \($0)" : "the \(role) \($0)" }
    }
}
