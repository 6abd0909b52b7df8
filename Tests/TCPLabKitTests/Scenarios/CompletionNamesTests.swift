import Testing
@testable import TCPLabKit

/// What `tcplab scenario <TAB>`, `exercise <TAB>`, `check <TAB>` and `--variant <TAB>` offer:
/// the registries' names.
@Suite struct CompletionNamesTests {
    @Test func scenarioNamesAreTheCatalogs() {
        #expect(CompletionNames.scenarios == ScenarioCatalog.infos.map(\.name))
        #expect(CompletionNames.scenarios.first == "broken-pipe" && CompletionNames.scenarios.contains("keepalive"))
        #expect(CompletionNames.exercises.contains("broken-pipe") && Set(CompletionNames.exercises).isSubset(of: CompletionNames.scenarios))
        #expect(CompletionNames.checks.contains("broken-pipe") && !CompletionNames.checks.contains("loss"), "loss takes no program")
        #expect(Set(CompletionNames.checks).count == CompletionNames.checks.count, "each once")
    }

    @Test func variantsFollowTheScenarioTyped() {
        #expect(CompletionNames.variants(after: ["tcplab", "scenario", "broken-pipe", "--variant", ""])
                == ["default", "sigpipe-ignored", "msg-nosignal", "fixed-client"])
        let all = CompletionNames.variants(after: ["tcplab", "scenario", "--variant", ""])
        #expect(all.contains("fixed-client") && all.contains("tail-loss") && all.filter { $0 == "default" }.count == 1)
        #expect(CompletionNames.checkVariants(after: ["tcplab", "check", "broken-pipe", "--client", "--variant", ""])
                == ["default", "sigpipe-ignored", "fixed-client"])
    }
}
