import Foundation
import Testing
@testable import TCPLabKit

/// Marking by meaning: each rule of issue 11 §2 on literal answers files, marked against the
/// broken-pipe and zombie runs recorded on Linux 6.18 (Fixtures/).
@Suite struct FairMarkingTests {
    static func exercise(_ scenario: String, _ variant: String? = nil) throws -> Exercise {
        try #require(ExerciseCatalog.find(scenario: scenario, variant: variant))
    }

    static func marks(_ file: String, _ scenario: String, _ variant: String, report given: RunReport? = nil) throws -> [PredictionMark] {
        let exercise = try exercise(scenario, variant)
        let answers = try AnswerSheet.answers(file, for: exercise)
        let report = try given ?? ExerciseObservationTests.report(scenario, variant)
        return exercise.predictions.map { PredictionMark($0, answer: answers[$0.id], report: report) }
    }

    /// The one-line message `body` fails with; nil when it does not fail.
    static func error(_ body: () throws(LabError) -> Void) -> String? {
        do { try body() } catch { return error.description }
        return nil
    }

    @Test(arguments: ["FIN-WAIT-2", "fin wait 2", "FIN_WAIT_2", "FIN_WAIT2", "fin-wait2", "TCP_FIN_WAIT2", "Fin_Wait_2", "3"])
    func everySpellingOfFinWait2IsRight(_ spelling: String) throws {
        let marks = try Self.marks("server-state: \(spelling)\nclient-state: close wait\n", "broken-pipe", "default")
        #expect(marks[0].correct && marks[0].answer == "FIN_WAIT2", "\(spelling): \(marks[0])")
        #expect(marks[1].correct, "close wait")
    }

    /// The mark echoes what the student typed, and how it was read where that is another spelling.
    @Test func theMarkEchoesTheAnswerAsTyped() throws {
        let marks = try Self.marks("server-state: FIN-WAIT-2\nclient-state: CLOSE_WAIT\nrst-segment: #11\nclient-ending: 2\n",
                                   "broken-pipe", "default")
        #expect(marks[0].given == "FIN-WAIT-2" && marks[0].said == "FIN-WAIT-2 (FIN_WAIT2)", "\(marks[0])")
        #expect(marks[1].said == "CLOSE_WAIT", "\(marks[1])")
        #expect(marks[3].said == "#11 (11)", "\(marks[3])")
        #expect(marks[4].said == "2 (killed by SIGPIPE)", "\(marks[4])")
        let lower = try Self.marks("server-state: fin_wait2\n", "broken-pipe", "default")
        #expect(lower[0].said == "fin_wait2", "a change of case only is no other reading: \(lower[0])")
        #expect(lower[1].said == nil && lower[1].given == nil, "not answered: \(lower[1])")
    }

    @Test func stateSpellingsOfSsNetstatRfcAndKernel() {
        let spellings: [(String, TCPState)] = [
            ("ESTAB", .established), ("established", .established), ("TIME-WAIT", .timeWait), ("time wait", .timeWait),
            ("CLOSE-WAIT", .closeWait), ("close_wait", .closeWait), ("SYN-RECEIVED", .synReceived), ("SYN_RECV", .synReceived),
            ("CLOSED", .close), ("UNCONN", .close), ("TCP_CLOSE", .close), ("LAST-ACK", .lastAck), ("fin-wait-1", .finWait1),
        ]
        for (text, state) in spellings { #expect(TCPState(spelling: text) == state, "\(text)") }
        #expect(TCPState(spelling: "gone") == nil)
        #expect(TCPState(spelling: "FIN_WAIT3") == nil)
    }

    @Test func aSegmentNumberWithOrWithoutHashIsTheNumber() throws {
        #expect(try AnswerSheet.parse("rst-segment: #11\n") == ["rst-segment": "#11"])
        #expect(try AnswerSheet.parse("rst-segment: #11  # the RST\n# a comment line\n") == ["rst-segment": "#11"])
        for answer in ["#11", "11", " 011 "] {
            let marks = try Self.marks("rst-segment: \(answer)\n", "broken-pipe", "default")
            #expect(marks[3].correct && marks[3].answer == "11", "\(answer)")
        }
    }

    @Test(arguments: ["SIGPIPE", "PIPE", "sigpipe", "13", "killed by SIGPIPE", "killed by PIPE", "signal 13", "SIGPIPE (signal 13)", "2"])
    func signalEndingsByNameOrNumber(_ answer: String) throws {
        let marks = try Self.marks("client-ending: \(answer)\n", "broken-pipe", "default")
        #expect(marks[4].correct && marks[4].answer == "killed by SIGPIPE", "\(answer): \(marks[4])")
    }

    @Test func errnoAnswersByNameTextOrNumber() {
        let prediction = Prediction(id: "r", question: "?", kind: .choice(["0 (EOF)", "ECONNRESET", "EPIPE", "ETIMEDOUT"])) { _ in nil }
        for answer in ["EPIPE", "epipe", "Broken pipe", "32", "EPIPE (Broken pipe)"] { #expect(prediction.canonical(answer) == "EPIPE", "\(answer)") }
        for answer in ["ECONNRESET", "Connection reset by peer", "104"] { #expect(prediction.canonical(answer) == "ECONNRESET", "\(answer)") }
        for answer in ["0", "EOF", "0 (eof)", "1"] { #expect(prediction.canonical(answer) == "0 (EOF)", "\(answer)") }
        #expect(prediction.canonical("5") == nil, "out of range, and errno 5 (EIO) is no choice")
    }

    @Test func anOutOfRangeChoiceIsAnError() throws {
        let exercise = try Self.exercise("broken-pipe")
        #expect(Self.error { () throws(LabError) in _ = try AnswerSheet.answers("client-ending: 7\n", for: exercise) }
                == "client-ending: `7` is not a choice between 1 and 3 (1 exited 0, 2 killed by SIGPIPE, 3 killed by SIGTERM)")
        #expect(throws: LabError.self) { try AnswerSheet.answers("server-state: BOGUS\n", for: exercise) }
        #expect(throws: LabError.self) { try AnswerSheet.answers("hehe-send: four\n", for: exercise) }
    }

    @Test func aDuplicateIdIsAnError() throws {
        #expect(Self.error { () throws(LabError) in _ = try AnswerSheet.parse("hehe-send: 4\nrst-segment: 11\nhehe-send: 5\n") }
                == "line 3: `hehe-send` is answered twice (first on line 1)")
    }

    @Test func aDuplicateIdInJSONIsAnError() throws {
        #expect(Self.error { () throws(LabError) in _ = try AnswerSheet.parse(##"{"hehe-send": 4, "rst-segment": "#11", "hehe-send": 5}"##) }
                == "`hehe-send` is answered twice")
        // Escapes decoded: `hehe\u002dsend` is `hehe-send`.
        #expect(Self.error { () throws(LabError) in _ = try AnswerSheet.parse(#"{"hehe-send": 4, "hehe\u002dsend": 5}"#) }
                == "`hehe-send` is answered twice")
        // The same name inside a nested value, or as a value, is no repeat.
        #expect(try AnswerSheet.parse(#"{"hehe-send": "4", "rst-segment": {"hehe-send": 1}, "x": ["hehe-send"]}"#).count == 3)
        #expect(JSONObjectKeys.names(#"{"a": 1, "b\"c": [1, {"d": 2}], "e": {"f": 3}}"#) == ["a", "b\"c", "e"])
    }

    @Test func anEmptyAnswersFileIsAnError() throws {
        let exercise = try Self.exercise("broken-pipe")
        for empty in ["", "# only a comment\n\n", "{}"] {
            #expect(throws: LabError.self, "\(empty)") { try AnswerSheet.answers(empty, for: exercise) }
        }
    }

    @Test func anUnknownIdIsAnError() throws {
        #expect(throws: LabError.self) { try AnswerSheet.answers("server-state: FIN_WAIT2\nrst-segmnet: 11\n", for: try Self.exercise("broken-pipe")) }
    }

    /// The shipped zombie key leaves new-parent-pid out on purpose: 4 right of 5 asked, against
    /// the shipped reference recording.
    @Test func aQuestionTheKeyLeavesOutCountsAsWrong() throws {
        let key = try String(contentsOf: LabKeys.url("zombie"), encoding: .utf8)
        let recording = LabKeys.root.appendingPathComponent("captures/reference/zombie-no-reap.json")
        let report = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: recording))
        let marks = try Self.marks(key, "zombie", "no-reap", report: report)
        #expect(marks.count == 5 && marks.filter(\.correct).count == 4)
        let left = try #require(marks.first { $0.answer == nil })
        #expect(left.id == "new-parent-pid" && !left.correct)
        #expect(left.reason?.hasPrefix("not answered; ") == true, "\(left.reason ?? "no reason")")
    }

    @Test func everyWrongAnswerSaysWhyWithTheEvidence() throws {
        let marks = try Self.marks("""
            server-state: CLOSE_WAIT
            client-state: FIN_WAIT2
            hehe-send: 0
            rst-segment: 10
            client-ending: exited 0
            """, "broken-pipe", "default")
        #expect(marks.allSatisfy { !$0.correct })
        #expect(marks.map(\.reason) == [
            "the table after the server's close() showed FIN_WAIT2 for the server",
            "the table after the server's close() showed CLOSE_WAIT for the client",
            "the client's send(\"hehe\") returned 4",
            "segment #11 carried the RST",
            "the client was killed by SIGPIPE (its send(\"wawa\") never returned)",
        ])
        #expect(marks.allSatisfy { !($0.reason ?? "\n").contains("\n") })
    }

    @Test func rightAnswersHaveNoReason() throws {
        let key = try String(contentsOf: LabKeys.url("broken-pipe"), encoding: .utf8)
        let marks = try Self.marks(key, "broken-pipe", "default")
        #expect(marks.allSatisfy { $0.correct && $0.reason == nil })
    }
}

/// The package's Labs/answers keys.
enum LabKeys {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ scenario: String) -> URL { root.appendingPathComponent("Labs/answers/\(scenario).txt") }
}
