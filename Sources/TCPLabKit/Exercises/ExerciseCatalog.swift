/// Every exercise `tcplab exercise` offers. Add a scenario's exercise in a file of its own
/// (`BrokenPipeExercise.swift` …) and list it here.
public enum ExerciseCatalog {
    public static let all: [Exercise] = BrokenPipeExercise.all
        + ZombieExercise.all + ConcurrencyExercise.all + BacklogExercise.all + NagleExercise.all

    /// The exercise for a scenario and variant (nil variant: the scenario's default, or any
    /// exercise of that scenario written for no particular variant).
    public static func find(scenario: String, variant: String?) -> Exercise? {
        all.first { $0.scenario == scenario && $0.variant == variant }
            ?? (variant == nil ? all.first { $0.scenario == scenario } : nil)
    }
}
