import Foundation
import Testing
@testable import TCPLabKit

/// Every question of every exercise says where a wrong answer's evidence is (a segment number, a
/// table and its moment, a call, a process table's pids), never only what was seen: marked on the
/// recorded runs (Fixtures/, or the shipped reference recordings for variants without a fixture).
@Suite struct ExerciseEvidenceTests {
    /// The recorded run of an exercise's scenario and variant.
    static func report(for exercise: Exercise) throws -> RunReport {
        let variant = exercise.variant ?? "default"
        let fixture = ExerciseObservationTests.fixtures.appendingPathComponent("\(exercise.scenario)-\(variant).json")
        let reference = LabKeys.root.appendingPathComponent("captures/reference/\(exercise.scenario)-\(variant).json")
        let url = FileManager.default.fileExists(atPath: fixture.path) ? fixture : reference
        return try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: url))
    }

    /// An answer that means something else than `observed`.
    static func wrong(_ prediction: Prediction, observed: String) -> String {
        switch prediction.kind {
        case .number: return String((Int(observed) ?? 0) + 1)
        case .choice(let choices): return choices.first { !prediction.matches($0, observed: observed) } ?? "?"
        }
    }

    /// Whether a wrong mark's reason is only the generic "this run showed X".
    static func isGeneric(_ reason: String?, _ prediction: Prediction, observed: String, report: RunReport) -> Bool {
        reason == nil || reason == Prediction.generic(observed, report) || reason!.hasPrefix("this run showed")
    }

    static let exercises = ExerciseCatalog.all.map { exercise in
        Named(name: "\(exercise.scenario) \(exercise.variant ?? "default")", exercise: exercise)
    }

    struct Named: CustomTestStringConvertible, Sendable {
        var name: String
        var exercise: Exercise
        var testDescription: String { name }
    }

    @Test(arguments: exercises)
    func everyWrongAnswerNamesItsEvidence(_ named: Named) throws {
        let report = try Self.report(for: named.exercise)
        for prediction in named.exercise.predictions {
            let observed = prediction.observe(report) ?? "3"
            let mark = PredictionMark(prediction, answer: Self.wrong(prediction, observed: observed), report: report)
            #expect(!mark.correct, "\(prediction.id): the wrong answer was marked right")
            #expect(!Self.isGeneric(mark.reason, prediction, observed: observed, report: report),
                    "\(named.name) \(prediction.id): the reason names no evidence: \(mark.reason ?? "none")")
            #expect(!(mark.reason ?? "").contains("\n"), "\(prediction.id): \(mark.reason ?? "")")
        }
    }

    /// The check above fails on a question that gives no evidence of its own.
    @Test func aQuestionWithoutEvidenceIsCaught() throws {
        let exercise = try #require(ExerciseCatalog.find(scenario: "broken-pipe", variant: nil))
        let report = try Self.report(for: exercise)
        let bare = Prediction(id: "rst-segment", question: "Which segment carries the RST?", kind: .number) {
            $0.firstSegment(withFlag: "R").map { String($0.number) }
        }
        let mark = PredictionMark(bare, answer: "10", report: report)
        #expect(mark.reason == "this run showed 11")
        #expect(Self.isGeneric(mark.reason, bare, observed: "11", report: report))
    }

    @Test func reasonsNamePidsSegmentsAndCalls() throws {
        func reason(_ scenario: String, _ variant: String, _ id: String, _ answer: String) throws -> String? {
            let exercise = try #require(ExerciseCatalog.find(scenario: scenario, variant: variant))
            let prediction = try #require(exercise.predictions.first { $0.id == id })
            return PredictionMark(prediction, answer: answer, report: try Self.report(for: exercise)).reason
        }
        #expect(try reason("zombie", "no-reap", "zombie-count", "0")
                == "the process table after the clients left listed 2 zombies among the server's children (PIDs 22047, 22048)")
        #expect(try reason("zombie", "no-reap", "kill-return", "-1") == "the lab's kill(22047, SIGKILL) returned 0")
        #expect(try reason("refused", "default", "answer-flags", "S.")
                == "segment #2, the answer to the client's SYN #1, carried [R.]")
        #expect(try reason("close-states", "simultaneous", "fin-count", "1") == "the capture holds 2 segments with the FIN flag: #8, #9")
        #expect(try reason("nagle", "nagle", "first-keystroke-segment", "1") == "segment #4 carried the first keystroke")
    }
}
