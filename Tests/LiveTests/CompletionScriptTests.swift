import Foundation
import Testing

/// The completion scripts the .deb installs offer the scenarios, and `--variant` the typed
/// scenario's variants (asked of tcplab at each TAB, as the scripts do).
extension Live {
    @Suite(.timeLimit(.minutes(1)))
    struct CompletionScriptTests {
        @Test(arguments: ["bash", "zsh", "fish"])
        func scriptOffersTheScenarioNames(_ shell: String) throws {
            let outcome = try TCPLabProcess.run(["--generate-completion-script", shell])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            for name in ["broken-pipe", "close-states", "keepalive"] {
                #expect(outcome.stdout.contains(name), "\(shell) script lacks \(name)")
            }
        }

        /// bash calls `tcplab ---completion SUBCOMMAND -- --variant CWORD CURSOR WORDS…`.
        @Test func variantCompletionNamesTheTypedScenariosVariants() throws {
            let words = ["tcplab", "scenario", "broken-pipe", "--variant", ""]
            let outcome = try TCPLabProcess.run(["---completion", "scenario", "--", "--variant", "4", "0"] + words)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let offered = outcome.stdout.split(separator: "\n").map(String.init)
            #expect(offered == ["default", "sigpipe-ignored", "msg-nosignal", "fixed-client"], "\(outcome.stdout)")
        }
    }
}
