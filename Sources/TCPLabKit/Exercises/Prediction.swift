import Foundation

/// A question a student answers before a run ("which side ends in TIME_WAIT?"), marked against
/// what that run observed, never against a stored answer.
public struct Prediction: Sendable {
    /// How the student answers.
    public enum Kind: Sendable, Equatable {
        /// One of these words (also accepted: the choice's number, 1-based).
        case choice([String])
        /// A whole number (a segment number, a count, a return value).
        case number
    }

    /// A stable name, used in `--answers` files and in `--json`.
    public let id: String
    public let question: String
    public let kind: Kind
    /// The answer this run showed, read from its report; nil when the run did not show it.
    public let observe: @Sendable (RunReport) -> String?

    public init(id: String, question: String, kind: Kind, observe: @escaping @Sendable (RunReport) -> String?) {
        self.id = id
        self.question = question
        self.kind = kind
        self.observe = observe
    }

    /// The student's answer in canonical form: a choice's own spelling, a number's digits; nil if
    /// it is not a valid answer to this question.
    public func canonical(_ answer: String) -> String? {
        let text = answer.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .number:
            return Int(text).map(String.init)
        case .choice(let choices):
            if let index = Int(text), choices.indices.contains(index - 1) { return choices[index - 1] }
            return choices.first { $0.lowercased() == text.lowercased() }
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
    public var answer: String?
    public var observed: String?
    /// True when the answer matches what this run observed.
    public var correct: Bool

    /// Marks `answer` (raw text, nil if none was given) against `report`.
    public init(_ prediction: Prediction, answer: String?, report: RunReport) {
        id = prediction.id
        question = prediction.question
        self.answer = answer.flatMap { prediction.canonical($0) } ?? answer
        observed = prediction.observe(report)
        correct = observed != nil && answer.flatMap { prediction.canonical($0) } == observed
    }
}
