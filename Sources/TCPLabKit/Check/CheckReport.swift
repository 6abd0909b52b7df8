/// `tcplab check --json`: the run as `tcplab scenario --json` gives it (`run`), with what was
/// checked: which role the student's program played, its command, whether its calls were traced,
/// and which scenario claims were replaced by claims judged from outside it (docs/json.md).
public struct CheckReport: Codable, Sendable {
    public var scenario: String
    public var variant: String
    public var role: CheckRole
    /// The program's command line, as given after `--`.
    public var command: [String]
    /// True when it ran under strace, so its calls are on the timeline (`run.steps`).
    public var traced: Bool
    /// The scenario's claims judged differently for a student's program, and by what.
    public var replaced: [CheckCatalog.Replacement]
    /// What could not be judged in this run, and why (`CheckPlan.notJudged`): neither passed nor failed.
    public var notJudged: [String]
    /// The verdicts, one per claim (`run.claims` holds the same).
    public var claims: [Claim]
    /// True when the run completed and every claim holds.
    public var passed: Bool
    /// The whole run.
    public var run: RunReport

    public init(plan: any CheckPlan, program: StudentProgram, traced: Bool, notJudged: [String] = [], run: RunReport) {
        scenario = plan.scenarioName
        variant = plan.variantName
        role = plan.role
        command = program.command
        self.traced = traced
        replaced = CheckCatalog.listing(plan).replaced
        self.notJudged = notJudged
        claims = run.claims
        passed = run.passed
        self.run = run
    }
}
