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
        }

        @Test(arguments: [
            ["close-states", "--variant", "client-first"], ["close-states", "--variant", "server-first"],
            ["broken-pipe"], ["iterative"], ["concurrency", "--variant", "epoll"], ["zombie", "--variant", "waitpid-handler"],
        ])
        func resultsSitBelowTheSegmentsThatCausedThem(_ scenario: [String]) throws {
            for attempt in 1...4 {
                let outcome = try TCPLabProcess.run(["scenario"] + scenario)
                #expect(outcome.status == 0, "\(scenario) run \(attempt): \(outcome.stderr)")
                let problems = Self.misplacedResults(outcome.stdout)
                #expect(problems.isEmpty, "\(scenario.joined(separator: " ")) run \(attempt): \(problems)\n\(outcome.stdout)")
            }
        }
    }
}
