/// How `tcplab check` runs one scenario variant with a student's program in one role: how the
/// lab starts it and plays the other side (as the scenario does, recording at the scenario's
/// moments), and how each of the scenario's claims is judged (`ClaimJudging`).
public protocol CheckPlan: Sendable {
    associatedtype Checked: Scenario
    /// The scenario and variant whose claims judge the program.
    var scenario: Checked { get }
    /// The role the program takes.
    var role: CheckRole { get }
    /// What the program must do, one line for `tcplab check --list`.
    var task: String { get }
    /// How each of the scenario's claims, by id, is judged: every id the variant has is here.
    var judging: [String: ClaimJudging] { get }
    /// Starts the lab's side and the program in its role, up to where it listens or connects;
    /// throws `StudentStartFailure` (one line, exit 2) when it cannot take its role.
    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast
    /// Plays the scenario's story with the program in its role, waiting only on neutral events.
    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError)
    /// The claims judged from outside the program: those that replace the scenario's (by id,
    /// `ClaimJudging.replaced`) and those the check adds.
    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim]
    /// What the check could not judge in this run and why, one line each (a claim that needs the
    /// program's traced calls when strace was not there): shown as `not judged:`, never passed.
    func notJudged(_ observation: Observation) -> [String]
}

extension CheckPlan {
    /// `zombie`.
    public var scenarioName: String { Checked.name }
    /// `waitpid-handler`.
    public var variantName: String { scenario.variant.rawValue }

    /// Most checks judge everything they claim from outside: nothing left unjudged.
    public func notJudged(_ observation: Observation) -> [String] { [] }

    /// The verdicts, in the scenario's order: a claim judgeable from outside as the scenario
    /// judges it, a replaced one by its replacements (each once), then the claims the check adds.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let outside = outsideClaims(observation, lab)
        var used: Set<String> = []
        var result: [Claim] = []
        for claim in scenario.claims(observation, lab) {
            switch judging[claim.id] {
            case .fromOutside?:
                result.append(claim)
            case .replaced(let ids, _)?:
                for id in ids where !used.contains(id) {
                    guard let replacement = outside.first(where: { $0.id == id }) else { continue }
                    result.append(replacement)
                    used.insert(id)
                }
            case nil:
                result.append(Claim(id: claim.id, statement: claim.statement, holds: false,
                                    evidence: "seen instead: tcplab check has no way to judge this claim for your program"))
            }
        }
        return result + outside.filter { !used.contains($0.id) }
    }
}

/// The processes of a check once the student's program has taken its role: it, and the lab's roles.
public struct CheckCast: Sendable {
    public var student: StudentRole
    /// The lab's own roles (the other side), in the order they were started.
    public var roles: [RoleProcess] = []
    /// The program's command, for a plan that starts it again (reuseaddr's restart).
    public var program: StudentProgram? = nil

    /// The lab's role called `label`.
    public func role(_ label: String) -> RoleProcess? { roles.first { $0.label == label } }
}
