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
    /// The ways to run it (`--variant NAME`), the first case being the default.
    associatedtype Variant: ScenarioVariant
    /// `broken-pipe`: the name on the command line.
    static var name: String { get }
    /// One line for `tcplab list`.
    static var summary: String { get }
    /// Whether `--clients N` means something here (scenarios that start several clients).
    static var takesClients: Bool { get }
    init(variant: Variant)
    var variant: Variant { get }
    /// The line under the title that says what runs.
    var story: String { get }
    /// Drives the roles step by step, waiting on events between steps.
    func run(_ lab: LabRun) throws(LabError)
    /// Judges each teaching claim from the observation alone.
    func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim]
}

/// One way to run a scenario: an enum whose raw value is its `--variant` name.
public protocol ScenarioVariant: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
    /// One line for `tcplab list`.
    var summary: String { get }
}

extension Scenario {
    /// The name, summary and variants, as `tcplab list` shows them.
    public static var info: ScenarioInfo {
        ScenarioInfo(name: name, summary: summary, variants: Variant.allCases.map { VariantInfo($0.rawValue, $0.summary) })
    }

    /// The scenario with the variant called `name` (the `--variant` text), or nil when there is none.
    static func make(variantNamed name: String) -> Self? { Variant(rawValue: name).map { Self(variant: $0) } }

    /// Most scenarios have a fixed cast.
    public static var takesClients: Bool { false }

    /// The `--variant` name of the chosen variant.
    public var variantName: String { variant.rawValue }
}

/// Every scenario tcplab knows, in the order `tcplab list` shows them.
public enum ScenarioCatalog {
    /// In the order of DESIGN.md's table.
    public static let all: [any Scenario.Type] = [
        BrokenPipe.self, CloseStates.self, Zombie.self, Iterative.self, Concurrency.self, Refused.self, ReuseAddr.self,
        Backlog.self, UnreadClose.self, Nagle.self,
        IOModels.self,
        Loss.self,
        FlowControl.self, Keepalive.self,
    ]

    public static var infos: [ScenarioInfo] { all.map { $0.info } }

    /// The scenario for `name` and `variant` (nil variant: the default), or a usage error listing the choices.
    public static func make(name: String, variant: String?) throws(LabError) -> any Scenario {
        guard let type = all.first(where: { $0.info.name == name }) else {
            let names = infos.map(\.name).joined(separator: ", ")
            throw LabError.usage("unknown scenario '\(name)'; choose one of: \(names) (see `tcplab list`)")
        }
        let variants = type.info.variants.map(\.name)
        guard let scenario = type.make(variantNamed: variant ?? variants[0]) else {
            throw LabError.usage(
                "scenario \(name) has no variant '\(variant ?? "")'; choose one of: \(variants.joined(separator: ", "))")
        }
        return scenario
    }
}
