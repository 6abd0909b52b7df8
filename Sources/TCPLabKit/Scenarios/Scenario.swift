/// A scenario's name, one-line summary and variants, as `tcplab list` and `list --json` show them.
public struct ScenarioInfo: Sendable, Codable, Equatable {
    public var name: String
    public var summary: String
    /// The first variant is the default.
    public var variants: [VariantInfo]

    public init(name: String, summary: String, variants: [VariantInfo]) {
        self.name = name
        self.summary = summary
        self.variants = variants
    }
}

/// One way to run a scenario (`--variant NAME`).
public struct VariantInfo: Sendable, Codable, Equatable {
    public var name: String
    public var summary: String

    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// A live scenario: the roles it starts, the order of events it waits for, and the claims it
/// checks afterwards against what was observed.
public protocol Scenario: Sendable {
    static var info: ScenarioInfo { get }
    /// The chosen variant; the catalog has already checked that it is one of `info.variants`.
    init(variant: String)
    /// The line under the title that says what runs.
    var story: String { get }
    /// Drives the roles step by step, waiting on events between steps.
    func run(_ lab: LabRun) throws(LabError)
    /// Judges each teaching claim from the observation alone.
    func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim]
}

/// Every scenario tcplab knows, in the order `tcplab list` shows them.
public enum ScenarioCatalog {
    /// In the order of DESIGN.md's table.
    public static let all: [any Scenario.Type] = [
        BrokenPipe.self, CloseStates.self, Zombie.self, Iterative.self, Concurrency.self, Refused.self, ReuseAddr.self,
        Backlog.self, UnreadClose.self, Nagle.self,
    ]

    public static var infos: [ScenarioInfo] { all.map { $0.info } }

    /// The scenario for `name` and `variant` (nil variant: the default), or a usage error listing the choices.
    public static func make(name: String, variant: String?) throws(LabError) -> any Scenario {
        guard let type = all.first(where: { $0.info.name == name }) else {
            let names = infos.map(\.name).joined(separator: ", ")
            throw LabError.usage("unknown scenario '\(name)'; choose one of: \(names) (see `tcplab list`)")
        }
        let variants = type.info.variants.map(\.name)
        let chosen = variant ?? variants[0]
        guard variants.contains(chosen) else {
            throw LabError.usage(
                "scenario \(name) has no variant '\(chosen)'; choose one of: \(variants.joined(separator: ", "))")
        }
        return type.init(variant: chosen)
    }
}
