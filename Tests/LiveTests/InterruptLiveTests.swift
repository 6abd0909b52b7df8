import Foundation
import Glibc
import Testing

/// Ctrl-C in the middle of a run held at a pause, of an exercise (in its questions and in its
/// run) and of `tcplab watch`: everything the run started is stopped and reaped, the capture file
/// is closed, and the exit status is 128 + the signal.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct InterruptLiveTests {
        @Test func interruptAtAPauseLeavesNothingBehind() throws {
            // --step waits for Enter before each step: the pause before the first message is a
            // point in the middle of the run that does not depend on timing (Enter once for the
            // pause before the handshake).
            let run = try SessionRun(["scenario", "broken-pipe", "--step"], input: true)
            run.waitForOutput(containing: "-- next: the client connects")
            run.type("\n")
            let printed = run.waitForOutput(containing: "-- next: the client sends")
            #expect(printed.contains("handshake done"), "output so far: \(printed)")
            let roles = run.leftovers().filter { $0.pid != run.pid }
            #expect(roles.count == 2 && roles.allSatisfy { $0.state != "Z" }, "expected a server and a client running, found \(roles)")

            let sent = run.send(SIGINT)
            try InterruptCheck.expectStopped(run, signal: SIGINT, sentAt: sent, "broken-pipe at its first pause")
            #expect(run.outcome == .exited(130))
            let pcap = run.directory.appendingPathComponent("captures/runs/broken-pipe-default.pcap").path
            let decoded = try TCPLabProcess.run(["decode", pcap])
            // The handshake is there; the kernel's FINs as it closes the killed roles' sockets may follow.
            #expect(decoded.stdout.contains("handshake done"), "decode: \(decoded.stdout)")
            #expect(!decoded.stdout.contains("\"haha\""), "the run went past the pause: \(decoded.stdout)")
        }

        @Test func sigtermIsTakenLikeCtrlC() throws {
            let run = try SessionRun(["scenario", "zombie", "--step"], input: true)
            run.waitForOutput(containing: "-- next:")
            let sent = run.send(SIGTERM)
            try InterruptCheck.expectStopped(run, signal: SIGTERM, sentAt: sent, "zombie at its first pause, SIGTERM")
            #expect(run.outcome == .exited(143))
        }

        /// The questions come before the run, and the namespace is entered before them: Ctrl-C
        /// while a student is answering stops at once, with nothing started.
        @Test func exerciseInterruptedDuringTheQuestions() throws {
            let run = try SessionRun(["exercise", "broken-pipe"], input: true)
            run.waitForOutput(containing: "? ")
            let sent = run.send(SIGINT)
            try InterruptCheck.expectStopped(run, signal: SIGINT, sentAt: sent, "exercise at its first question")
            #expect(run.outcome == .exited(130))
            #expect(run.files().isEmpty, "no run started, so no capture: \(run.files())")
        }

        /// Every question answered (the empty line is taken as no answer, end of input ends the
        /// questions), then Ctrl-C at moments of the run that follows.
        @Test(arguments: [0.05, 0.15, 0.3])
        func exerciseInterruptedDuringItsRun(moment: Double) throws {
            let answers = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).txt").path
            defer { try? FileManager.default.removeItem(atPath: answers) }
            try "server-state: FIN_WAIT2\n".write(toFile: answers, atomically: true, encoding: .utf8)
            let run = try SessionRun(["exercise", "broken-pipe", "--answers", answers])
            SessionRun.pause(until: .now + .milliseconds(Int(moment * 1000)))
            let sent = run.send(SIGINT)
            try InterruptCheck.expectStopped(run, signal: SIGINT, sentAt: sent, "exercise --answers at \(moment) s")
        }

        @Test func interactiveExerciseInterruptedDuringItsRun() throws {
            let run = try SessionRun(["exercise", "broken-pipe"], input: true)
            run.waitForOutput(containing: "? ")
            run.closeInput()  // end of input: the remaining questions stay unanswered, the run starts
            run.waitForOutput(containing: "handshake done")
            let sent = run.send(SIGINT)
            try InterruptCheck.expectStopped(run, signal: SIGINT, sentAt: sent, "interactive exercise during its run")
        }

        /// A program that forks a child, both sleeping; with `ignore`, both ignore SIGINT, so the
        /// forwarded Ctrl-C does nothing and tcplab must kill them itself, within the half second.
        static func watchedProgram(ignoringSIGINT ignore: Bool) -> String {
            """
            import os, signal, time
            if \(ignore ? "True" : "False"): signal.signal(signal.SIGINT, signal.SIG_IGN)
            child = os.fork()
            time.sleep(60)
            """
        }

        /// At 0.05 s alone, then at 0.3, 0.6 and 1 s side by side (see `sigintAtFixedMoments`).
        @Test(arguments: [(false, [0.05]), (false, [0.3, 0.6, 1.0]), (true, [0.05]), (true, [0.3, 0.6, 1.0])])
        func watchInterruptedStopsTheProgramAndItsChildren(ignoringSIGINT: Bool, moments: [Double]) throws {
            var runs: [(run: SessionRun, started: ContinuousClock.Instant)] = []
            for _ in moments {
                let run = try SessionRun(["watch", "--port", "9", "--", "python3", "-c", Self.watchedProgram(ignoringSIGINT: ignoringSIGINT)])
                runs.append((run, .now))
            }
            for (moment, entry) in zip(moments, runs) {
                SessionRun.pause(until: entry.started + .milliseconds(Int(moment * 1000)))
                let sent = try #require(entry.run.send(SIGINT), "watch ended before \(moment) s: \(entry.run.stderr)")
                entry.run.wait()
                let context = "watch (program \(ignoringSIGINT ? "ignoring" : "taking") SIGINT) at \(moment) s"
                if entry.run.outcome == .signaled(SIGINT) {
                    // On a loaded machine 50 ms can come before `main` blocked the signal (its first
                    // line): the default action, with nothing started, printed or left.
                    #expect(entry.run.signalWasBlocked == false, "\(context): killed by SIGINT although main had blocked it")
                    #expect(entry.run.stdout.isEmpty && entry.run.stderr.isEmpty, "\(context): killed after printing")
                    entry.run.expectNothingLeft(context)
                    continue
                }
                let seconds = entry.run.seconds(since: sent) ?? .infinity
                #expect(seconds < InterruptCheck.limit, "\(context): ended \(Int(seconds * 1000)) ms after SIGINT")
                #expect(entry.run.outcome == .exited(130), "\(context): \(entry.run.outcome.map(\.description) ?? "?")")
                #expect(entry.run.stderr.contains("tcplab: interrupted by SIGINT; your program was stopped"), "\(context): \(entry.run.stderr)")
                #expect(entry.run.stdout.contains("segments; your program "), "\(context): the summary: \(entry.run.stdout)")
                entry.run.expectNothingLeft(context)
                #expect(entry.run.files().isEmpty, "\(context): \(entry.run.files())")
            }
        }
    }
}
