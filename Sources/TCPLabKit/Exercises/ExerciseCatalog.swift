/// Every exercise `tcplab exercise` offers. Add a scenario's exercise in a file of its own
/// (`BrokenPipeExercise.swift` …) and list it here.
public enum ExerciseCatalog {
    /// In the order of the scenarios in `tcplab list`.
    public static let all: [Exercise] = BrokenPipeExercise.all + BrokenPipeFixedClientExercise.all + CloseStatesExercise.all
        + ZombieExercise.all + IterativeExercise.all + ConcurrencyExercise.all + RefusedExercise.all + ReuseAddrExercise.all
        + BacklogExercise.all + UnreadCloseExercise.all + NagleExercise.all
        + IOModelsExercise.all
        + LossExercise.all
        + FlowControlExercise.all + KeepaliveExercise.all

    /// The exercise for a scenario and variant. A nil variant, and an exercise written for no
    /// particular variant, both mean the scenario's first (default) variant, so that
    /// `--variant default` finds the same exercise as no `--variant` at all.
    public static func find(scenario: String, variant: String?) -> Exercise? {
        let first = ScenarioCatalog.infos.first { $0.name == scenario }?.variants.first?.name
        let wanted = variant ?? first
        return all.first { $0.scenario == scenario && ($0.variant ?? first) == wanted }
    }
}
