import Foundation
import Testing

/// The text a live run prints, read as a student reads it: a send() returns only after the
/// segment carrying its bytes left, and a recv() only after the segment that brought them came,
/// so each such result line must sit below that segment's line. Checked on the printed text of
/// real runs, several times each, since the order of arrival at the lab (the capture thread, the
/// roles' report pipes) varies from run to run while the printed order must not.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct PrintedOrderLiveTests {
        /// Finds results printed above the segment that caused them; returns one message each.
        static func misplacedResults(_ text: String) -> [String] {
            let lines = text.components(separatedBy: "\n")
            let segmentLine = try! Regex(#"^\s{1,4}\d+\s+-?\d+\.\d{3}\s"#)
            func preview(_ line: String) -> String? {
                guard line.firstMatch(of: segmentLine) != nil, let open = line.firstIndex(of: "\"") else { return nil }
                guard let close = line[line.index(after: open)...].firstIndex(of: "\"") else { return nil }
                return String(line[line.index(after: open)..<close])
            }
            let previews = lines.map(preview)
            var problems: [String] = []
            func check(_ data: String, resultAt index: Int, _ what: String) {
                // Only data that went out in a segment of its own can be checked this way.
                guard let segment = previews.firstIndex(where: { $0 == data }) else { return }
                if segment > index { problems.append("\(what) (line \(index + 1)) printed above the segment carrying \"\(data)\" (line \(segment + 1))") }
            }
            var openSends: [String: String] = [:]  // role prefix -> data of its send still open
            let sendWhole = try! Regex(#"^(.*)send\("(.*)"\) = \d+$"#)
            let sendStart = try! Regex(#"^(.*)send\("(.*)"\) \.\.\.$"#)
            let sendEnd = try! Regex(#"^(.*)\.\.\. send = \d+$"#)
            let recvResult = try! Regex(#"(?:recv\(\) = |\.\.\. recv = )\d+ "(.*)"$"#)
            for (index, line) in lines.enumerated() where previews[index] == nil {
                if let match = line.firstMatch(of: sendWhole), let data = match.output[2].substring {
                    check(String(data), resultAt: index, "send(\"\(data)\")'s result")
                } else if let match = line.firstMatch(of: sendStart), let role = match.output[1].substring, let data = match.output[2].substring {
                    openSends[String(role)] = String(data)
                } else if let match = line.firstMatch(of: sendEnd), let role = match.output[1].substring,
                          let data = openSends.removeValue(forKey: String(role)) {
                    check(data, resultAt: index, "send(\"\(data)\")'s result")
                } else if let match = line.firstMatch(of: recvResult), let data = match.output[1].substring {
                    check(String(data), resultAt: index, "recv()'s result \"\(data)\"")
                }
            }
            return problems
        }

        /// Finds what is printed above a call that happened before it: a segment above the
        /// `send("…") ...` start of the call that sent its bytes (the k-th send of some bytes goes
        /// with the k-th segment carrying exactly them), and segments out of capture order (each
        /// printed once, numbered on from the first shown). One message each.
        static func misplacedSegments(_ text: String) -> [String] {
            let lines = text.components(separatedBy: "\n")
            let segmentLine = try! Regex(#"^\s{1,4}(\d+)\s+-?\d+\.\d{3}\s"#)
            let send = try! Regex(#"send\("(.*)"\)( \.\.\.| = \d+)$"#)
            var problems: [String] = []
            var lastNumber: Int?
            var segmentsSeen: [String: [Int]] = [:]  // data -> lines of the segments carrying it
            var sends: [String: Int] = [:]  // data -> sends of it so far
            for (index, line) in lines.enumerated() {
                if let match = line.firstMatch(of: segmentLine), let number = match.output[1].substring.flatMap({ Int($0) }) {
                    if let lastNumber, number != lastNumber + 1 {
                        problems.append("segment #\(number) (line \(index + 1)) printed after #\(lastNumber)")
                    }
                    lastNumber = number
                    if let open = line.firstIndex(of: "\""), let close = line[line.index(after: open)...].firstIndex(of: "\"") {
                        segmentsSeen[String(line[line.index(after: open)..<close]), default: []].append(index)
                    }
                } else if let match = line.firstMatch(of: send), let data = match.output[1].substring.map(String.init) {
                    sends[data, default: 0] += 1
                    let carriers = segmentsSeen[data] ?? []
                    if match.output[2].substring == " ...", carriers.count >= sends[data]! {
                        let segment = carriers[sends[data]! - 1]
                        problems.append("send(\"\(data)\")'s start (line \(index + 1)) printed below the segment carrying its bytes (line \(segment + 1))")
                    }
                }
            }
            return problems
        }

        @Test func theCheckCatchesAResultAboveItsSegment() {
            let wrong = """
                        client  send("hello") = 5
                   4  1.877     C > S   P.     1:6        1         5  64      "hello"
                """
            #expect(Self.misplacedResults(wrong).count == 1)
            let right = """
                        client  send("hello") ...
                   4  1.877     C > S   P.     1:6        1         5  64      "hello"
                        client  ... send = 5
                        server  recv() = 5 "hello"
                """
            #expect(Self.misplacedResults(right).isEmpty)
            #expect(Self.misplacedSegments(right).isEmpty)
            // A --step run that printed a recv()'s result at one pause and its segment at the next.
            let stepped = """
                        client 3 recv() ...
                        client 3 ... recv = 16 "CLIENT 3 LINE 1\\n"
                  -- next: client 3 sends lines 2 to 3 and leaves  [Enter]
                        -- paused 0.0 s --
                  36  568.215   S > C3  P.     1:17       17       16  65536   "CLIENT 3 LINE 1\\n"
                """
            #expect(Self.misplacedResults(stepped).count == 1)
        }

        @Test func theCheckCatchesASegmentAboveTheCallThatSentIt() {
            let wrong = """
                   4  1.877     C > S   P.     1:6        1         5  64      "hello"
                        client  send("hello") ...
                   3  1.880     S > C   .      1          6         0  64
                        client  ... send = 5
                """
            #expect(Self.misplacedSegments(wrong).count == 2)
        }

        @Test(arguments: [
            ["close-states", "--variant", "client-first"], ["close-states", "--variant", "server-first"],
            ["broken-pipe"], ["iterative"], ["concurrency", "--variant", "epoll"], ["zombie", "--variant", "waitpid-handler"],
        ])
        func resultsSitBelowTheSegmentsThatCausedThem(_ scenario: [String]) throws {
            for attempt in 1...4 {
                let outcome = try TCPLabProcess.run(["scenario"] + scenario)
                #expect(outcome.status == 0, "\(scenario) run \(attempt): \(outcome.stderr)")
                let problems = Self.misplacedResults(outcome.stdout) + Self.misplacedSegments(outcome.stdout)
                #expect(problems.isEmpty, "\(scenario.joined(separator: " ")) run \(attempt): \(problems)\n\(outcome.stdout)")
            }
        }

        /// The same with `--step`, Enter pressed at each pause: the timeline is printed at every
        /// pause while roles go on with calls of their own (a server answering a client it just
        /// accepted), so a call's report can reach the lab before the capture hands over the
        /// segment it depends on; still neither may be printed out of order, across pauses too.
        @Test(.timeLimit(.minutes(4)), arguments: [
            ["concurrency"], ["concurrency", "--variant", "epoll"],
            ["io-models", "--variant", "blocking"], ["io-models", "--variant", "nonblocking"],
            ["io-models", "--variant", "multiplexing"], ["io-models", "--variant", "signal-driven"],
            ["io-models", "--variant", "async"],
        ])
        func steppedResultsSitBelowTheSegmentsThatCausedThem(_ scenario: [String]) throws {
            for attempt in 1...3 {
                let (printed, ending) = try StepLiveTests.stepThrough(["scenario"] + scenario)
                let run = "\(scenario.joined(separator: " ")) --step run \(attempt)"
                #expect(ending == .exited(0), "\(run): \(printed)")
                #expect(!StepLiveTests.pauses(printed).isEmpty, "\(run) never paused: \(printed)")
                #expect(printed.contains("\"ping\"") || printed.contains("LINE 1"), "\(run) printed no data segment: \(printed)")
                let problems = Self.misplacedResults(printed) + Self.misplacedSegments(printed)
                #expect(problems.isEmpty, "\(run): \(problems)\n\(printed)")
            }
        }
    }
}
