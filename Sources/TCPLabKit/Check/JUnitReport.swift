import Foundation

/// A check's verdicts as JUnit XML, the test-result format GitHub Actions test reporters, GitLab
/// CI (`artifacts:reports:junit`) and Jenkins' JUnit plugin show: one `<testsuite>` per check,
/// one `<testcase>` per claim (name: the claim's id and statement; classname:
/// `tcplab.SCENARIO.VARIANT.ROLE`), a failed claim holding a `<failure>` whose message is the
/// evidence seen instead. A run that stopped early adds an `<error>` test case; a program that
/// could not take its role at all is one failed test case `starts`.
///
/// The elements and attributes are those of the JUnit schema Jenkins and Maven Surefire use
/// (testsuites/testsuite: name, tests, failures, errors, time; testcase: name, classname, time;
/// failure/error: message, type). Text comes from the program under test, so it is escaped.
public struct JUnitReport: Sendable {
    /// One test case: a claim's verdict, or the run's own failure.
    public struct Case: Sendable, Equatable {
        public enum Outcome: Sendable, Equatable {
            case passed
            /// A claim that does not hold: `message` the evidence seen, `detail` the whole text.
            case failure(message: String, detail: String)
            /// The run stopped or never started.
            case error(message: String)
            /// Not judged in this run (`CheckReport.notJudged`): `message` says why.
            case skipped(message: String)
        }

        public var name: String
        public var outcome: Outcome
    }

    /// `broken-pipe fixed-client --client`.
    public var suite: String
    /// `tcplab.broken-pipe.fixed-client.client`.
    public var className: String
    public var cases: [Case]
    /// Wall-clock seconds the check took.
    public var seconds: Double
    /// name=value pairs for `<properties>`: the command, whether it was traced.
    public var properties: [(String, String)]

    /// The report of a check that ran: a case per claim, and an `error` case when it stopped early.
    public init(_ report: CheckReport, seconds: Double) {
        suite = "\(report.scenario) \(report.variant) \(report.role.flag)"
        className = "tcplab.\(report.scenario).\(report.variant).\(report.role.rawValue)"
        cases = report.claims.map { claim in
            Case(name: "\(claim.id): \(claim.statement)",
                 outcome: claim.holds ? .passed : .failure(message: claim.evidence, detail: "\(claim.statement)\n\(claim.evidence)"))
        }
        cases += report.notJudged.map { Case(name: "not judged: \($0)", outcome: .skipped(message: $0)) }
        if let error = report.run.error { cases.append(Case(name: "run: the check ran to its end", outcome: .error(message: error))) }
        if let dropped = report.run.capture?.dropped, dropped > 0 {
            cases.append(Case(name: "capture: every segment captured",
                              outcome: .error(message: "the capture dropped \(dropped) packets; run the check again")))
        }
        self.seconds = seconds
        properties = [("command", report.command.joined(separator: " ")), ("traced", String(report.traced))]
    }

    /// The report of a program that could not take its role: one failed case `starts`.
    public init(scenario: String, variant: String, role: CheckRole, command: [String], failure: String, seconds: Double) {
        suite = "\(scenario) \(variant) \(role.flag)"
        className = "tcplab.\(scenario).\(variant).\(role.rawValue)"
        cases = [Case(name: "starts: your program takes the \(role.rawValue)'s place", outcome: .failure(message: failure, detail: failure))]
        self.seconds = seconds
        properties = [("command", command.joined(separator: " "))]
    }

    public var failures: Int { cases.filter { if case .failure = $0.outcome { true } else { false } }.count }
    public var errors: Int { cases.filter { if case .error = $0.outcome { true } else { false } }.count }
    public var skipped: Int { cases.filter { if case .skipped = $0.outcome { true } else { false } }.count }

    /// The XML document, UTF-8, newline-terminated.
    public var xml: String {
        let time = String(format: "%.3f", seconds)
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\""
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"tcplab check\" \(counts) time=\"\(time)\">",
            "  <testsuite name=\"\(Self.escape(suite))\" \(counts) skipped=\"\(skipped)\" time=\"\(time)\">",
            "    <properties>",
        ]
        lines += properties.map { "      <property name=\"\(Self.escape($0.0))\" value=\"\(Self.escape($0.1))\"/>" }
        lines.append("    </properties>")
        for item in cases {
            let open = "    <testcase name=\"\(Self.escape(item.name))\" classname=\"\(Self.escape(className))\" time=\"0\""
            switch item.outcome {
            case .passed:
                lines.append(open + "/>")
            case .failure(let message, let detail):
                lines.append(open + ">")
                lines.append("      <failure message=\"\(Self.escape(message))\" type=\"ClaimDoesNotHold\">\(Self.escape(detail))</failure>")
                lines.append("    </testcase>")
            case .skipped(let message):
                lines.append(open + ">")
                lines.append("      <skipped message=\"\(Self.escape(message))\"/>")
                lines.append("    </testcase>")
            case .error(let message):
                lines.append(open + ">")
                lines.append("      <error message=\"\(Self.escape(message))\" type=\"RunStopped\">\(Self.escape(message))</error>")
                lines.append("    </testcase>")
            }
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escaped for XML content and quoted attributes (control characters XML 1.0 forbids replaced).
    static func escape(_ text: String) -> String { HTMLEscape.text(text) }
}
