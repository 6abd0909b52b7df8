import Foundation
import Glibc
import Testing

extension Live {
    /// `--step` driven through standard input, one Enter per pause, as a teacher would.
    @Suite(.timeLimit(.minutes(2)))
    struct StepLiveTests {
        /// Runs `tcplab ARGS… --step`, pressing Enter at each pause (after `hold` seconds at the
        /// pause whose text contains `holdAt`); returns everything printed once the run has ended.
        static func stepThrough(_ arguments: [String], holdAt: String? = nil, hold: Double = 0) throws -> (printed: String, ending: SessionRun.Ending?) {
            let run = try SessionRun(arguments + ["--step"], input: true)
            var answered = 0
            while run.outcome == nil {
                let seen = run.waitForOutput { pauses($0).count > answered }
                let shown = pauses(seen)
                guard shown.count > answered else { break }
                if let holdAt, shown[answered].contains(holdAt) {
                    // allowed: the test stands for a teacher talking at this pause while a kernel timer runs out.
                    SessionRun.pause(until: .now + .milliseconds(Int(hold * 1000)))
                }
                answered += 1
                run.type("\n")
            }
            let ending = run.wait()
            return (run.stdout, ending)
        }

        static func pauses(_ text: String) -> [String] {
            text.components(separatedBy: "\n").filter { $0.contains("-- next:") && $0.contains("[Enter]") }
        }

        /// Index of the first line containing `text`, after line `from`.
        static func line(_ lines: [String], _ text: String, after from: Int = -1) -> Int? {
            lines.indices.first { $0 > from && lines[$0].contains(text) }
        }

        @Test func brokenPipePausesBeforeEveryStep() throws {
            let (printed, ending) = try Self.stepThrough(["scenario", "broken-pipe"])
            #expect(ending == .exited(0), "output: \(printed)")
            let lines = printed.components(separatedBy: "\n")
            let pauses = lines.indices.filter { lines[$0].contains("-- next:") }
            // Once the three scenario texts; now one before each command to a role and each call a
            // role makes on its own (the server's answer and close(), the client's reads).
            #expect(pauses.count >= 7, "\(pauses.count) pauses: \(Self.pauses(printed))")
            guard let close = Self.line(lines, "server  ... close = 0") ?? Self.line(lines, "server  close() = 0"),
                  let hehe = Self.line(lines, "client  send(\"hehe\")"),
                  let wawa = Self.line(lines, "client  send(\"wawa\")")
            else { Issue.record("no close, hehe or wawa in: \(printed)"); return }
            #expect(pauses.contains { $0 > close && $0 < hehe }, "no pause between the server's close() and the client's send(\"hehe\"): \(printed)")
            #expect(pauses.filter { $0 > hehe && $0 < wawa }.count >= 2, "a pause before the client's recv() and before wawa: \(printed)")
            Self.expectEachPauseBeforeWhatItAnnounces(lines, [
                ("the client connects", "SYN  mss"),
                ("the client connects", "client  connect("),
                ("the client reads the reply", "client  recv() = 4"),
                ("the server closes its socket", "FIN: server closes its side"),
                ("the server closes its socket", "server  close()"),
                ("for the server's FIN", "FIN: server closes its side"),
                ("ACK of the server's FIN", "ACK of the FIN"),
                ("the client reads again", "client  recv() = 0"),
                ("after hehe", "client  recv() = 0"),
                ("the client sends \"wawa\"", "client  send(\"wawa\")"),
            ], printed)
            // t ms include the pauses, and each pause is marked where it was.
            #expect(printed.contains("t ms include the time spent paused"))
            #expect(lines.filter { $0.hasPrefix("        -- paused ") && $0.hasSuffix(" s --") }.count == pauses.count, "\(printed)")
        }

        /// Each pause whose text contains an `announced` text comes above the first line that
        /// contains its `event` (the pause is before what it announces, never after it is on the
        /// screen); the announcements named first must be there.
        static func expectEachPauseBeforeWhatItAnnounces(_ lines: [String], _ pairs: [(announced: String, event: String)], _ printed: String) {
            for (announced, event) in pairs {
                let pauses = lines.indices.filter { lines[$0].contains("-- next:") && lines[$0].contains(announced) }
                guard let happened = line(lines, event) else {
                    Issue.record("no \(event) in: \(printed)"); continue
                }
                for pause in pauses {
                    #expect(pause < happened, "`\(lines[pause])` comes after `\(lines[happened])`, which it announces: \(printed)")
                }
            }
            for required in ["the client connects", "the server answers", "the client reads the reply", "the server closes its socket", "the client reads again"] {
                #expect(lines.contains { $0.contains("-- next:") && $0.contains(required) }, "no pause for \(required): \(printed)")
            }
        }

        /// A pause announces what happens next in plain English: never a bare role label without
        /// its article, nor the lab's command lines (`echo`, `recv`) as the only words.
        @Test func pausesSpeakPlainEnglish() throws {
            let (printed, ending) = try Self.stepThrough(["scenario", "close-states"])
            #expect(ending == .exited(0), "output: \(printed)")
            let pauses = Self.pauses(printed)
            #expect(pauses.count >= 5, "\(pauses)")
            for pause in pauses {
                #expect(!pause.contains("for client ") && !pause.contains("for server "), "no article: \(pause)")
                #expect(!pause.contains(": echo") && !pause.contains(": recv"), "a command line for words: \(pause)")
            }
            let lines = printed.components(separatedBy: "\n")
            // Two pauses in a row with nothing printed between them: the second announced nothing new.
            let next = lines.indices.filter { lines[$0].contains("-- next:") }
            for (first, second) in zip(next, next.dropFirst()) {
                let between = lines[(first + 1)..<second].filter { !$0.contains("-- paused ") }
                #expect(!between.isEmpty, "`\(lines[second])` right after `\(lines[first])`: \(printed)")
            }
        }

        @Test func theLadderGrowsAsTheRunSteps() throws {
            let (printed, ending) = try Self.stepThrough(["scenario", "broken-pipe", "--ladder", "--ascii"])
            #expect(ending == .exited(0), "output: \(printed)")
            let lines = printed.components(separatedBy: "\n")
            // The ladder drawn so far at each pause (before the full one after the timeline).
            let final = lines.lastIndex(of: "ladder") ?? lines.count
            let blocks = lines.indices.filter { $0 < final && lines[$0] == "ladder so far" }
            #expect(blocks.count >= 4, "ladder blocks at the pauses: \(blocks.count): \(printed)")
            // Arrow rows are `  NN |- …` / `  NN |<…`: each arrow drawn once, in order, across the blocks.
            let arrows = lines[..<final].compactMap { line -> Int? in
                let trimmed = line.drop { $0 == " " }
                guard let number = Int(trimmed.prefix { $0.isNumber }), trimmed.dropFirst(String(number).count).hasPrefix(" |") else { return nil }
                return number
            }
            #expect(arrows == Array(1...(arrows.max() ?? 0)), "arrows as the ladder grew: \(arrows)")
            #expect(arrows.count >= 11, "the RST (#11) is drawn before the end: \(arrows)")
            // The handshake's block comes first; the RST is in a later one.
            guard let rst = lines.indices.first(where: { $0 < final && lines[$0].contains("RST:") && lines[$0].contains("|") }) else {
                Issue.record("no RST arrow before the final ladder: \(printed)"); return
            }
            #expect(blocks.filter { $0 < rst }.count >= 3, "the RST appeared only in the ladder's first blocks: \(printed)")
        }

        @Test func aPauseLongerThanTheFinWait2TimerIsNoted() throws {
            // A 1 s FIN_WAIT2 timer in the run's namespace, and 2.5 s at the pause before hehe.
            let (printed, ending) = try Self.stepThrough(
                ["scenario", "broken-pipe", "--sysctl", "net.ipv4.tcp_fin_timeout=1"], holdAt: "hehe", hold: 2.5)
            #expect(ending != nil, "output: \(printed)")
            #expect(printed.contains("outlasted the server's FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout)"), "output: \(printed)")
        }
    }
}
