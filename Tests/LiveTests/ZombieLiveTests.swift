import Foundation
import Testing

/// The zombie scenario run for real: every variant three times, the same verdicts each time,
/// under 3 s, and no process of the run left on the machine afterwards (not even a zombie).
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct ZombieLiveTests {
        static let expectedClaims: [String: [String]] = [
            "no-reap": ["each-client-served", "zombies-after-clients-left", "kill-zombie-nothing", "parent-death-clears"],
            "sigchld-ignore": ["each-client-served", "sigchld-ignored", "no-zombie-ever"],
            "waitpid-handler": ["each-client-served", "handler-reaps-each", "no-zombie-remains"],
            "orphan": ["each-client-served", "orphans-reparented", "orphans-serve", "orphans-reaped"],
            "orphan-subreaper": ["each-client-served", "orphans-to-lab", "orphans-serve", "orphans-reaped"],
            "parent-keeps-fd": ["each-client-served", "child-close-no-fin", "fin-on-last-close"],
        ]

        /// The parts of a zombie run's JSON these tests read beyond `RunJSON`.
        struct ZombieRun: Decodable {
            struct Step: Decodable { var role: String; var call: String; var returnValue: Int? }
            struct Row: Decodable { struct Process: Decodable { var pid: Int32; var state: String }; var process: Process }
            struct Table: Decodable { var id: String?; var moment: String; var rows: [Row] }
            struct Note: Decodable { var text: String; var processes: Table? }
            var steps: [Step]
            var notes: [Note]

            /// Every pid the run started: roles (from their steps' labels are not enough), children from the forks.
            var children: [Int32] {
                steps.filter { $0.role == "server" && $0.call == "fork" }.compactMap { $0.returnValue.map(Int32.init) }
            }
        }

        @Test(arguments: ["no-reap", "sigchld-ignore", "waitpid-handler", "orphan", "orphan-subreaper", "parent-keeps-fd"])
        func threeRunsHoldWithIdenticalVerdicts(variant: String) throws {
            var verdicts: [[String]] = []
            for _ in 0..<3 {
                let started = Date()
                let outcome = try TCPLabProcess.run(["scenario", "zombie", "--variant", variant, "--json"])
                let seconds = Date().timeIntervalSince(started)
                let run = try RunJSON.decode(outcome.stdout)
                let details = try JSONDecoder().decode(ZombieRun.self, from: Data(outcome.stdout.utf8))
                #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
                // The orphan variants record process tables only, so they get no states-match-capture.
                #expect(run.claims.map(\.id) == Self.expectedClaims[variant].map { $0 + (variant.hasPrefix("orphan") ? [] : RunJSON.everyScenarioClaims) })
                for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
                #expect(seconds < 3, "\(variant) took \(seconds) s")
                #expect(details.children.count == 3)
                #expect(Set(run.ends.map(\.role)) == ["server", "client 1", "client 2", "client 3"])
                for pid in details.children { #expect(kill(pid, 0) == -1, "child \(pid) still exists after the run") }
                #expect(RolePIDs.all().isEmpty, "role processes left: \(RolePIDs.all())")
                verdicts.append(run.claims.map { "\($0.id)=\($0.holds)" })
            }
            #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
        }

        @Test func noReapShowsTheZombiesAndTheKillThatDoesNothing() throws {
            let outcome = try TCPLabProcess.run(["scenario", "zombie"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let text = outcome.stdout
            for expected in ["zombie (no-reap)", "processes  after the clients left:", "  Z  [tcplab] <defunct>", ", SIGKILL) = 0",
                             "processes  right after kill -9 ", "processes  after the parent died:", "none of them exist any more"] {
                #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
            }
            let afterKill = text.components(separatedBy: "processes  right after kill -9 ").last ?? ""
            let table = afterKill.components(separatedBy: "lab     kill(").first ?? ""
            #expect(table.components(separatedBy: "<defunct>").count - 1 == 3, "after kill -9: \(table)")
        }

        @Test func clientsOptionSetsTheNumberOfZombies() throws {
            let outcome = try TCPLabProcess.run(["scenario", "zombie", "--clients", "5", "--json"])
            let run = try RunJSON.decode(outcome.stdout)
            let details = try JSONDecoder().decode(ZombieRun.self, from: Data(outcome.stdout.utf8))
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(details.children.count == 5)
            let zombies = try #require(details.notes.compactMap(\.processes).first { $0.id == "after-clients-left" })
            #expect(zombies.rows.filter { $0.process.state == "Z" }.count == 5)
            #expect(run.claims.first { $0.id == "zombies-after-clients-left" }?.holds == true)
        }

        /// sigchld-ignore: each child's table is printed at its moment, after that child's _exit(0)
        /// and before the next client sends, not all three together after the third exit.
        @Test func sigchldIgnoreShowsEachTableWhenItsChildEnds() throws {
            let outcome = try TCPLabProcess.run(["scenario", "zombie", "--variant", "sigchld-ignore"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let lines = outcome.stdout.components(separatedBy: "\n")
            let children = lines.compactMap { line -> Int32? in
                guard let range = line.range(of: "server  fork() = ") ?? line.range(of: "server  ... fork = ") else { return nil }
                return Int32(line[range.upperBound...].prefix { $0.isNumber })
            }
            #expect(children.count == 3, "\(outcome.stdout)")
            for (index, child) in children.enumerated() {
                let exit = try #require(lines.firstIndex { $0.contains("server child \(child) _exit(0)") })
                let table = try #require(lines.firstIndex { $0.contains("processes  after child \(child) called _exit(0):") })
                #expect(exit < table, "child \(child)'s table comes before its _exit(0)")
                // The rows under the `PID PPID S COMMAND` header, indented deeper than any other line.
                let rows = lines[(table + 2)...].prefix { $0.hasPrefix(String(repeating: " ", count: 20)) }
                #expect(!rows.isEmpty && !rows.contains { $0.split(separator: " ").first == "\(child)" }, "child \(child) listed after its exit: \(rows)")
                guard index + 1 < children.count else { continue }
                let nextSend = try #require(lines.firstIndex { $0.contains("client \(index + 2) send(") })
                #expect(table < nextSend, "child \(child)'s table printed after client \(index + 2) sent")
            }
        }

        @Test(arguments: ["0", "51", "-3"])
        func clientsOutOfRangeIsAClearError(count: String) throws {
            let outcome = try TCPLabProcess.run(["scenario", "zombie", "--clients=\(count)"])
            #expect(outcome.status != 0 && outcome.status != 1)
            #expect(outcome.stderr.contains("--clients must be between 1 and 50"), "stderr: \(outcome.stderr)")
        }

        /// Ctrl-C at a pause where zombies exist (no-reap), where orphans serve under PID 1 (orphan)
        /// or under the lab (orphan-subreaper): nothing of the run is left, not even a zombie.
        @Test(arguments: [("no-reap", "SIGKILL to zombie"), ("orphan", "orphans answer"), ("orphan-subreaper", "orphans answer"),
                          ("waitpid-handler", "each client sends")])
        func interruptLeavesNoZombieOrOrphan(variant: String, pause: String) throws {
            // In a session of its own: the forked children belong to it whoever adopts them, and
            // another tcplab run on the machine never counts.
            let run = try SessionRun(["scenario", "zombie", "--variant", variant, "--step"], input: true)
            // --step prints "-- next: WHAT  [Enter]" and waits; answer each pause until the chosen one.
            func pauses(_ text: String) -> [String] {
                text.components(separatedBy: "\n").filter { $0.contains("-- next:") && $0.contains("[Enter]") }
            }
            var seen = ""
            var answered = 0
            while true {
                seen = run.waitForOutput { pauses($0).count > answered }
                let shown = pauses(seen)
                guard shown.count > answered, !shown[answered].contains(pause) else { break }
                answered += 1
                run.type("\n")
            }
            let forks = seen.split(separator: "\n").compactMap { line -> Int32? in
                // `fork() = PID`, or `... fork = PID` when the child's first steps came before it returned.
                guard let range = line.range(of: "fork() = ") ?? line.range(of: "... fork = ") else { return nil }
                return Int32(line[range.upperBound...].prefix { $0.isNumber })
            }
            #expect(forks.count == 3, "output so far: \(seen)")
            let running = Set(run.leftovers().map(\.pid))
            #expect(Set(forks).isSubset(of: running), "the forked children \(forks) are the run's: \(running)")
            let sent = run.send(SIGINT)
            try InterruptCheck.expectStopped(run, signal: SIGINT, sentAt: sent, "zombie \(variant) at \"\(pause)\"")
            #expect(run.outcome == .exited(130))
        }
    }
}

/// Pids of `tcplab role …` processes run from the binary under test (other checkouts on the same
/// machine may be running their own tcplab at the same time).
enum RolePIDs {
    static func all() -> [Int32] { TCPLabProcess.runningRoles().map(\.pid) }
}
