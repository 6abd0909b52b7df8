/// The words a shell offers after `tcplab scenario`, `exercise` and `check`, and after their
/// `--variant`, read from the registries (`ScenarioCatalog`, `ExerciseCatalog`, `CheckCatalog`)
/// so a new scenario completes without another list to keep. swift-argument-parser writes the
/// scenario names into the completion scripts (`--generate-completion-script`); the variants are
/// asked of tcplab at each TAB, from the words typed so far.
public enum CompletionNames {
    /// Every scenario, in the order of `tcplab list`.
    public static var scenarios: [String] { ScenarioCatalog.infos.map(\.name) }

    /// The scenarios that have prediction questions (`tcplab exercise`).
    public static var exercises: [String] { unique(ExerciseCatalog.all.map(\.scenario)) }

    /// The scenarios that take a student's program (`tcplab check`).
    public static var checks: [String] { unique(CheckCatalog.all.map(\.scenarioName)) }

    /// The `--variant` values for the command line `words` (the shell's words, the program's
    /// name first): the variants of the first word that names a scenario, or every variant name
    /// (each once) when none does yet.
    public static func variants(after words: [String]) -> [String] {
        let infos = ScenarioCatalog.infos
        guard let named = words.lazy.compactMap({ word in infos.first { $0.name == word } }).first else {
            return unique(infos.flatMap { $0.variants.map(\.name) })
        }
        return named.variants.map(\.name)
    }

    /// The `--variant` values `tcplab check` takes for the scenario named in `words` (every
    /// checkable variant when none is named yet).
    public static func checkVariants(after words: [String]) -> [String] {
        let plans = CheckCatalog.all
        guard let scenario = words.first(where: { word in plans.contains { $0.scenarioName == word } }) else {
            return unique(plans.map(\.variantName))
        }
        return unique(plans.filter { $0.scenarioName == scenario }.map(\.variantName))
    }

    /// `names` with each kept at its first place only.
    static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
