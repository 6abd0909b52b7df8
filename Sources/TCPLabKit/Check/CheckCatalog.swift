/// Which scenario variants `tcplab check` can run with a student's program in which role.
public enum CheckCatalog {
    /// Every check, in the order of `ScenarioCatalog` (scenario, then variant, then role).
    public static let all: [any CheckPlan] = [
        BrokenPipeServerCheck(), BrokenPipeClientCheck(variant: .sigpipeIgnored), BrokenPipeClientCheck(variant: .fixedClient),
        CloseStatesServerCheck(), CloseStatesClientCheck(),
        ZombieServerCheck(variant: .waitpidHandler), ZombieServerCheck(variant: .sigchldIgnore),
        IterativeServerCheck(),
        ConcurrencyServerCheck(variant: .fork), ConcurrencyServerCheck(variant: .thread), ConcurrencyServerCheck(variant: .select),
        ConcurrencyServerCheck(variant: .poll), ConcurrencyServerCheck(variant: .epoll), ConcurrencyServerCheck(variant: .epollET),
        RefusedClientCheck(), ReuseAddrServerCheck(),
        NagleClientCheck(),
        IOModelsServerCheck(variant: .blocking), IOModelsServerCheck(variant: .nonblocking), IOModelsServerCheck(variant: .multiplexing),
        FlowControlServerCheck(),
        KeepaliveClientCheck(),
    ]

    /// One line of `tcplab check --list`.
    public struct Listing: Sendable, Codable, Equatable {
        public var scenario: String
        public var variant: String
        public var role: CheckRole
        /// What the program must do to pass.
        public var task: String
        /// The scenario's claims that are judged differently for a student's program: each one's
        /// replacements and why (the others are judged as in the scenario).
        public var replaced: [Replacement]
    }

    /// A scenario claim that `tcplab check` replaces by claims judged from outside the program.
    public struct Replacement: Sendable, Codable, Equatable {
        public var claim: String
        public var by: [String]
        public var because: String
    }

    /// Every check as `--list` shows it.
    public static var listings: [Listing] { all.map(listing) }

    static func listing(_ plan: any CheckPlan) -> Listing {
        let replaced = plan.judging.sorted { $0.key < $1.key }.compactMap { id, judging -> Replacement? in
            guard case .replaced(let by, let because) = judging else { return nil }
            return Replacement(claim: id, by: by, because: because)
        }
        return Listing(scenario: plan.scenarioName, variant: plan.variantName, role: plan.role, task: plan.task, replaced: replaced)
    }

    /// The check for `scenario`, `variant` (nil: the scenario's first) and `role`; a usage error
    /// naming the choices when there is none.
    public static func find(scenario name: String, variant: String?, role: CheckRole) throws(LabError) -> any CheckPlan {
        let scenario = try ScenarioCatalog.make(name: name, variant: variant)
        let chosen = type(of: scenario).info
        let variantName = variant ?? chosen.variants[0].name
        if let plan = all.first(where: { $0.scenarioName == name && $0.variantName == variantName && $0.role == role }) { return plan }
        let fitting = all.filter { $0.scenarioName == name && $0.role == role }.map(\.variantName)
        let choices = fitting.isEmpty
            ? "no variant of \(name) takes your \(role.rawValue)"
            : "variants of \(name) that take your \(role.rawValue): \(fitting.joined(separator: ", "))"
        throw LabError.usage("\(name) --variant \(variantName) does not take your \(role.rawValue) (\(role.flag)); \(choices) (see `tcplab check --list`)")
    }
}
