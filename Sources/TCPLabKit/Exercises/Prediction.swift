import Foundation

/// A question a student answers before a run ("which side ends in TIME_WAIT?"), marked against
/// what that run observed, never against a stored answer.
public struct Prediction: Sendable {
    /// How the student answers.
    public enum Kind: Sendable, Equatable {
        /// One of these words, in any spelling that means the same (`AnswerMeaning`), or the
        /// choice's number (1-based); a signal or errno choice also by its own number (`13`, `32`).
        case choice([String])
        /// A whole number (a segment number, a count, a return value), `11` or `#11`.
        case number
    }

    /// A stable name, used in `--answers` files and in `--json`.
    public let id: String
    public let question: String
    public let kind: Kind
    /// The answer this run showed, read from its report; nil when the run did not show it.
    public let observe: @Sendable (RunReport) -> String?
    /// Where the run showed `observed`, in a line a student can check against the timeline:
    /// `segment #11 carried the RST`, `the table after the server's close() showed FIN_WAIT2`.
    /// Given the report too, so it can name segment numbers, pids, calls (`Evidence`).
    public let evidence: EvidenceLine

    /// A wrong answer's reason from the observed answer and the run it was read from.
    public typealias EvidenceLine = @Sendable (_ observed: String, _ report: RunReport) -> String

    /// The reason of a question that names no evidence: only what was seen, not where. Every
    /// shipped question says where (`ExerciseEvidenceTests` fails on this one).
    public static let generic: EvidenceLine = { observed, _ in "this run showed \(observed)" }

    public init(id: String, question: String, kind: Kind,
                seen evidence: @escaping EvidenceLine = Prediction.generic,
                observe: @escaping @Sendable (RunReport) -> String?) {
        self.id = id
        self.question = question
        self.kind = kind
        self.evidence = evidence
        self.observe = observe
    }

    /// The student's answer in canonical form: the choice's own spelling, a number's digits; nil if
    /// it is not a valid answer to this question (`why(invalid:)` says why).
    public func canonical(_ answer: String) -> String? {
        let meaning = AnswerMeaning(answer)
        switch kind {
        case .number:
            guard case .number(let value) = meaning else { return nil }
            return String(value)
        case .choice(let choices):
            if let same = choices.first(where: { AnswerMeaning($0) == meaning }) { return same }
            guard case .number(let value) = meaning else { return nil }
            if choices.indices.contains(value - 1) { return choices[value - 1] }
            return choices.first { AnswerMeaning($0).code.map(Int.init) == value }
        }
    }

    /// Whether a canonical answer means what the run observed (`CLOSED` and the kernel's `CLOSE`
    /// are one state).
    public func matches(_ answer: String, observed: String) -> Bool {
        AnswerMeaning(answer) == AnswerMeaning(observed)
    }

    /// Why `answer` is no answer to this question, in a line: `7 is not one of the choices (1 …)`.
    public func why(invalid answer: String) -> String {
        let shown = answer.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .number: return "`\(shown)` is not a whole number"
        case .choice(let choices):
            let listed = choices.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
            if case .number = AnswerMeaning(answer) { return "`\(shown)` is not a choice between 1 and \(choices.count) (\(listed))" }
            return "`\(shown)` is not one of the choices (\(listed))"
        }
    }
}

/// The predictions of one scenario (and variant) for `tcplab exercise`.
public struct Exercise: Sendable {
    public let scenario: String
    /// The variant the questions are about; nil for the scenario's default.
    public let variant: String?
    public let predictions: [Prediction]

    public init(scenario: String, variant: String? = nil, predictions: [Prediction]) {
        self.scenario = scenario
        self.variant = variant
        self.predictions = predictions
    }
}

/// A prediction after the run: what the student said, what the run showed, and the mark.
public struct PredictionMark: Sendable, Codable, Equatable {
    public var id: String
    public var question: String
    /// The answer in canonical form (the choice's spelling); nil when the question was not answered.
    public var answer: String?
    /// The answer as the student typed it (trimmed): `FIN-WAIT-2`, `#11`, `3`; nil when not answered.
    public var given: String?
    public var observed: String?
    /// True when the answer means what this run observed. A question not answered is wrong.
    public var correct: Bool
    /// Why the mark is wrong, in one line with the run's evidence (`segment #11 carried the RST`);
    /// nil when right.
    public var reason: String?

    /// Marks `answer` (raw text, nil if none was given) against `report`.
    public init(_ prediction: Prediction, answer: String?, report: RunReport) {
        id = prediction.id
        question = prediction.question
        let typed = answer?.trimmingCharacters(in: .whitespacesAndNewlines)
        let canonical = typed.flatMap { prediction.canonical($0) }
        self.answer = canonical ?? typed
        given = typed
        observed = prediction.observe(report)
        correct = observed.map { observed in canonical.map { prediction.matches($0, observed: observed) } ?? false } ?? false
        guard !correct else { reason = nil; return }
        let shown = observed.map { prediction.evidence($0, report) } ?? "this run did not show it (it stopped, or the recording lacks it)"
        reason = answer == nil ? "not answered; \(shown)" : shown
    }

    /// What the student said, as typed, and how it was read when that is another spelling:
    /// `FIN-WAIT-2 (FIN_WAIT2)`, `3 (FIN_WAIT2)`, `#11 (11)`; `FIN_WAIT2` or `fin_wait2` alone. Nil when not answered.
    public var said: String? {
        guard let given else { return answer }
        guard let answer, answer.caseInsensitiveCompare(given) != .orderedSame else { return given }
        return "\(given) (\(answer))"
    }
}
