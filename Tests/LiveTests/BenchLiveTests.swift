import Foundation
import Testing

/// `tcplab bench concurrency` run for real at a small scale: a row per model with answers
/// flowing, select's FD_SETSIZE refusal (with the descriptor table pre-filled so that 10 clients
/// are enough), the CSV and SVG files, Ctrl-C, and nothing left behind. No timing is asserted.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct BenchLiveTests {
        struct Output: Decodable {
            struct Row: Decodable {
                var model: String
                var clients: Int
                var skipped: String?
                var requests: Int
                var requestsPerSecond: Double
                var p50Milliseconds: Double?
                var threads: Int
                var processes: Int
                var served: Int
                var refused: Int
                var note: String
            }
            var rows: [Row]
        }

        /// Runs `tcplab bench concurrency --json ARGS…` in a session of its own; expects it to
        /// succeed and to leave no process of that session behind.
        static func bench(_ arguments: [String]) throws -> Output {
            let run = try SessionRun(["bench", "concurrency", "--json"] + arguments)
            run.wait(timeout: 60)
            #expect(run.outcome == .exited(0), "stderr: \(run.stderr)")
            run.expectNothingLeft("bench \(arguments.joined(separator: " "))")
            return try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8))
        }

        @Test func everyModelAnswersAtTenClients() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let csv = directory.appendingPathComponent("bench.csv").path, svg = directory.appendingPathComponent("bench.svg").path
            let output = try Self.bench(["--models", "epoll,thread,select", "--clients", "10", "--requests", "20",
                                         "--csv", csv, "--svg", svg])
            #expect(output.rows.map(\.model) == ["epoll", "thread", "select"])
            for row in output.rows {
                #expect(row.skipped == nil, "\(row.model): \(row.skipped ?? "")")
                #expect(row.requestsPerSecond > 0, "\(row.model)")
                #expect(row.requests == 200 && row.served == 10 && row.refused == 0, "\(row.model): \(row)")
                #expect(row.p50Milliseconds != nil)
            }
            #expect(output.rows.first { $0.model == "thread" }?.threads ?? 0 >= 11, "a thread per connection plus the acceptor")
            #expect(output.rows.first { $0.model == "epoll" }?.threads == 1)
            let csvText = try String(contentsOfFile: csv, encoding: .utf8)
            #expect(csvText.split(separator: "\n").count == 4)
            let svgText = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(svgText.components(separatedBy: "<polyline").count - 1 == 3)
        }

        @Test func selectRefusesDescriptorsFromFDSetSize() throws {
            // Room for 4 connections below descriptor 1024: the other 6 clients are refused.
            let output = try Self.bench(["--models", "select", "--clients", "10", "--requests", "5", "--select-room", "4"])
            let row = try #require(output.rows.first)
            #expect(row.served == 4 && row.refused == 6, "\(row)")
            #expect(row.note.contains("select: fd 1024 >= FD_SETSIZE (1024): refused"), "\(row.note)")
        }

        @Test func forkAndThreadAreSkippedAtTenThousandWithAReason() throws {
            let output = try Self.bench(["--models", "fork,thread", "--clients", "10000"])
            #expect(output.rows.count == 2)
            for row in output.rows { #expect(row.skipped?.contains("skipped above 1,000") == true, "\(row)") }
        }

        @Test func badModelIsAUsageError() throws {
            let outcome = try TCPLabProcess.run(["bench", "concurrency", "--models", "epoll,nope"])
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("unknown model nope; models: iterative, fork, thread, select, poll, epoll, epoll-et"),
                    "stderr: \(outcome.stderr)")
        }

        @Test func benchRolesAreNotStartedByName() throws {
            // The bench's roles start from a typed description like every other role; the old by-name form is gone.
            let outcome = try TCPLabProcess.run(["role", "bench-server", "--model", "epoll", "--address", "127.0.0.1", "--port", "9"])
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("--described"), "stderr: \(outcome.stderr)")
        }

        @Test func interruptStopsEveryProcess() throws {
            // Far more requests than fit in the run, so it is still measuring when interrupted.
            let run = try SessionRun(["bench", "concurrency", "--models", "fork", "--clients", "20", "--requests", "1000000", "--seconds", "60"])
            let seen = run.waitForOutput(containing: "measuring", timeout: 30)
            #expect(seen.contains("fork at 20 clients: 20 connected, 1 thread(s), 21 process(es); measuring"), "output: \(seen)")
            // The lab, the server and its 20 forked children, the generator.
            let running = run.leftovers()
            #expect(running.count >= 23, "the run's processes: \(running)")
            let sent = try #require(run.send(SIGINT))
            run.wait()
            let seconds = run.seconds(since: sent) ?? .infinity
            #expect(seconds < InterruptCheck.limit, "ended \(Int(seconds * 1000)) ms after SIGINT")
            #expect(run.outcome == .exited(130), "stderr: \(run.stderr)")
            #expect(run.stderr.split(separator: "\n") == ["tcplab: interrupted by SIGINT; roles stopped and cleaned up"], "stderr: \(run.stderr)")
            // The server's forked children too, not even as zombies.
            run.expectNothingLeft("bench interrupted while measuring")
        }
    }
}
