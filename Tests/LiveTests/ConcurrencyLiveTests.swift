import Foundation
import Testing

/// The concurrency scenario run for real: every model's claims must hold on this kernel, twice
/// with the same verdicts, in well under 3 seconds each.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct ConcurrencyLiveTests {
        static let expectedClaims: [String: [String]] = [
            "iterative": ["all-served", "served-one-at-a-time", "accept-queue", "acked-before-accept", "answered-after-previous-fin"],
            "fork": ["all-served", "served-concurrently", "process-per-client", "children-reaped"],
            "thread": ["all-served", "served-concurrently", "thread-per-client", "threads-end"],
            "select": ["all-served", "served-concurrently", "single-thread", "fd-setsize-refused"],
            "select-unchecked": ["all-served", "served-concurrently", "single-thread", "fd-setsize-abort"],
            "poll": ["all-served", "served-concurrently", "single-thread"],
            "epoll": ["all-served", "served-concurrently", "single-thread"],
            "epoll-et": ["all-served", "served-concurrently", "single-thread", "et-drains"],
            "epoll-et-once": ["all-served", "served-concurrently", "single-thread", "et-once-stalls"],
        ]

        @Test func variantsAreListedInOrder() throws {
            let outcome = try TCPLabProcess.run(["list", "--json"])
            let list = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]]
            let concurrency = try #require(list?.first { $0["name"] as? String == "concurrency" })
            let variants = (concurrency["variants"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(variants == ["iterative", "fork", "thread", "select", "select-unchecked", "poll", "epoll", "epoll-et", "epoll-et-once"])
        }

        @Test(arguments: ["iterative", "fork", "thread", "select", "select-unchecked", "poll", "epoll", "epoll-et", "epoll-et-once"])
        func everyClaimHoldsTwice(variant: String) throws {
            var verdicts: [[String]] = []
            for _ in 0..<2 {
                let started = Date()
                let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--variant", variant, "--clients", "3", "--json"])
                let seconds = Date().timeIntervalSince(started)
                let run = try RunJSON.decode(outcome.stdout)
                #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
                #expect(run.error == nil)
                #expect(run.claims.map(\.id) == Self.expectedClaims[variant].map { $0 + RunJSON.everyScenarioClaims })
                for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
                #expect(seconds < 3, "\(variant) took \(seconds) s")
                verdicts.append(run.claims.map { "\($0.id)=\($0.holds)" })
            }
            #expect(verdicts[0] == verdicts[1], "verdicts differ: \(verdicts)")
        }

        @Test func selectRefusesDescriptor1024() throws {
            let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--variant", "select"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("server  select: fd 1024 >= FD_SETSIZE (1024): refused"), "\(outcome.stdout)")
            #expect(CallLines("late", "recv()", " = 0 (EOF)").shown(in: outcome.stdout), "\(outcome.stdout)")
        }

        /// glibc's checked FD_SET really aborts the careless server: SIGABRT, glibc's own message,
        /// which the lab reads from the server's stderr pipe: in `--json` it is a note step, and
        /// nothing reaches the terminal.
        @Test func uncheckedSelectDiesOfSIGABRT() throws {
            let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--variant", "select-unchecked", "--json"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.isEmpty, "stderr: \(outcome.stderr)")
            #expect(!outcome.stdout.split(separator: "\n").contains { $0.hasPrefix("***") }, "a raw glibc line on stdout: \(outcome.stdout)")
            let run = try RunJSON.decode(outcome.stdout)
            let abort = try #require(run.claims.first { $0.id == "fd-setsize-abort" })
            #expect(abort.holds && abort.evidence.contains("accept() = 1024, then killed by SIGABRT"), "\(abort.evidence)")
            let steps = try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])["steps"] as? [[String: Any]]
            let glibc = steps?.first { $0["call"] as? String == "stderr" }
            #expect(glibc?["role"] as? String == "server")
            #expect(glibc?["isNote"] as? Bool == true)
            #expect((glibc?["text"] as? String)?.hasPrefix("stderr: *** bit out of range 0 - FD_SETSIZE on fd_set ***") == true, "\(String(describing: glibc))")
        }

        /// On the timeline glibc's message sits with the server's calls: after the accept() that
        /// returned 1024, before the server's death; the terminal gets it only there.
        @Test func uncheckedSelectMessageIsOnTheTimelineAfterTheAccept() throws {
            let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--variant", "select-unchecked"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(!outcome.stderr.contains("bit out of range"), "stderr: \(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            // One line, or `accept() ...` / `... accept = 1024` when the late client's handshake fell inside the call.
            let accept = try #require(lines.firstIndex {
                $0.hasPrefix("        server  ") && ($0.hasSuffix("accept() = 1024") || $0.hasSuffix("... accept = 1024"))
            }, "\(outcome.stdout)")
            let glibc = try #require(lines.firstIndex(of: "        server  stderr: *** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated"), "\(outcome.stdout)")
            let death = try #require(lines.firstIndex { $0.hasPrefix("        server  killed by SIGABRT (signal 6), seen when") }, "\(outcome.stdout)")
            #expect(accept < glibc && glibc < death, "accept \(accept), glibc \(glibc), death \(death):\n\(outcome.stdout)")
        }

        @Test func iterativeShowsTheAcceptQueue() throws {
            let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--variant", "iterative", "--clients", "3"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("while the server serves client 1 (idle): server (accept queue 2) 127.0.0.1:7777 LISTEN"), "\(outcome.stdout)")
            #expect(outcome.stdout.contains("server for client 3 127.0.0.1:7777 ESTABLISHED Recv-Q 16"), "\(outcome.stdout)")
        }

        @Test func edgeTriggeredOnceLeavesBytesInRecvQ() throws {
            let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--variant", "epoll-et-once"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let line = try #require(outcome.stdout.split(separator: "\n").first { $0.contains("after client 1's long line") })
            #expect(line.contains("server for client 1 127.0.0.1:7777 ESTABLISHED Recv-Q 8"), "\(line)")
        }

        @Test func clientsOptionIsChecked() throws {
            let outcome = try TCPLabProcess.run(["scenario", "concurrency", "--clients", "0"])
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("--clients must be between 1 and 50"), "stderr: \(outcome.stderr)")
            let one = try TCPLabProcess.run(["scenario", "concurrency", "--variant", "fork", "--clients", "1", "--json"])
            #expect(one.status == 0, "stderr: \(one.stderr)")
        }

        @Test func noRoleProcessIsLeftBehind() throws {
            for variant in ["fork", "thread"] {
                _ = try TCPLabProcess.run(["scenario", "concurrency", "--variant", variant])
            }
            let leftovers = TCPLabProcess.runningRoles().map(\.command)
            #expect(leftovers.isEmpty, "role processes still running: \(leftovers)")
        }
    }
}
