import Foundation
import Testing

extension Live {
    /// `tcplab exercise` marks predictions against the run it makes, for autograders too.
    @Suite(.timeLimit(.minutes(1)))
    struct ExerciseLiveTests {
        struct Result: Decodable {
            struct Mark: Decodable { var id: String; var answer: String?; var observed: String?; var correct: Bool }
            var predictions: [Mark]
            var score: Int
            var total: Int
        }

        @Test func answersFileIsMarkedAgainstTheRun() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).txt").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            // Two right (by this kernel's behaviour), one wrong on purpose, the rest left out.
            try "server-state: FIN_WAIT2\nclient-ending: 2\nhehe-send: -1\n".write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = try TCPLabProcess.run(["exercise", "broken-pipe", "--answers", path, "--json"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let result = try JSONDecoder().decode(Result.self, from: Data(outcome.stdout.utf8))
            let marks = Dictionary(uniqueKeysWithValues: result.predictions.map { ($0.id, $0) })
            #expect(marks["server-state"]?.correct == true)
            #expect(marks["client-ending"]?.answer == "killed by SIGPIPE" && marks["client-ending"]?.correct == true)
            #expect(marks["hehe-send"]?.observed == "4" && marks["hehe-send"]?.correct == false)
            #expect(marks["rst-segment"]?.answer == nil && marks["rst-segment"]?.correct == false)
            #expect(marks["rst-segment"]?.observed.flatMap(Int.init) != nil)
            #expect(result.score == 2 && result.total == result.predictions.count)
        }

        @Test func unknownQuestionInTheAnswersFileIsAnError() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).txt").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try "no-such-question: 1\n".write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = try TCPLabProcess.run(["exercise", "broken-pipe", "--answers", path])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("no such question: no-such-question"))
        }

        /// A JSON answers file that answers a question twice is refused in one line, as a text one is,
        /// before anything runs.
        @Test func aJSONAnswersFileWithAnIdTwiceIsAnError() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try #"{"hehe-send": 4, "rst-segment": 11, "hehe-send": 5}"#.write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = try TCPLabProcess.run(["exercise", "broken-pipe", "--replay", "--answers", path])
            #expect(outcome.status == 2, "stdout: \(outcome.stdout)")
            #expect(outcome.stderr.contains("`hehe-send` is answered twice"), "\(outcome.stderr)")
            #expect(outcome.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "nothing ran: \(outcome.stdout)")
        }
    }
}
