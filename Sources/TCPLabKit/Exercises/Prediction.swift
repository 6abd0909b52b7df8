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
    ///
    /// A number question takes the number alone (`11`, `#11`), as a return (`returned 4`), or with
    /// its unit or a noun of the question around it (`segment 11`, `seg #11`, `4 bytes`, `4 B`).
    /// A choice question takes a choice in any spelling of its meaning, or its number (1-based);
    /// a bare number past the choices is a choice's own code (`13` for `killed by SIGPIPE`) or the
    /// code of its companion (`32`, EPIPE, beside SIGPIPE; `AnswerMeaning.companion`). Where every
    /// choice is an outcome (a signal, an exit, an errno, a return value), any other outcome is an
    /// answer too, marked wrong with the evidence (`SIGKILL` → `killed by SIGKILL`, `EPIPE` →
    /// `a call failing with EPIPE`); where every choice is a TCP state, so is any other state.
    public func canonical(_ answer: String) -> String? {
        let meaning = AnswerMeaning(answer)
        switch kind {
        case .number:
            switch meaning {
            case .number(let value), .returned(let value): return String(value)
            case .exited(let value): return String(value)
            default: return Self.number(in: answer, nouns: Self.nouns(of: question)).map(String.init)
            }
        case .choice(let choices):
            let readings = choices.map { AnswerMeaning($0) }
            if let same = readings.firstIndex(of: meaning) { return choices[same] }
            switch meaning {
            case .number(let value):
                if choices.indices.contains(value - 1) { return choices[value - 1] }
                if let coded = readings.firstIndex(where: { $0.code.map(Int.init) == value }) { return choices[coded] }
                if let companion = readings.lazy.compactMap(\.companion).first(where: { $0.code.map(Int.init) == value }) {
                    return Self.spelling(companion, beside: readings)
                }
                return nil
            case .returned(let value):
                if readings.contains(where: \.isExit) {
                    return canonical("exited \(value)")
                }
                return readings.firstIndex(of: .number(value)).map { choices[$0] }
            case .signal, .exited, .errno:
                let outcomes = readings.allSatisfy(\.isOutcome) && readings.contains(where: \.isEnding)
                return outcomes ? Self.spelling(meaning, beside: readings) : nil
            case .state(let state):
                return readings.allSatisfy(\.isState) ? (state == .close ? "CLOSED" : state.name) : nil
            case .words:
                return nil
            }
        }
    }

    /// An outcome that is no choice, spelt like the choices: `killed by SIGKILL`, `exited 3`,
    /// `EAGAIN` among errno choices, `a call failing with EPIPE` among process endings.
    static func spelling(_ meaning: AnswerMeaning, beside choices: [AnswerMeaning]) -> String? {
        switch meaning {
        case .signal(let signal): return "killed by \(SignalName.of(signal))"
        case .exited(let code): return "exited \(code)"
        case .errno(let value):
            let name = Errno(rawValue: value).name
            return choices.contains(where: \.isErrno) ? name : "a call failing with \(name)"
        default: return nil
        }
    }

    /// Words a number may carry around it whatever the question: units, `#`, `no.`, `returned`.
    static let units: Set<String> = ["#", "no", "nr", "number", "seg", "segment", "byte", "b", "ms", "s", "sec", "second",
                                     "return", "returned", "=", "about", "pid", "fd"]

    /// The words of a question, lower-cased, each also without a plural `s` (`segments` → `segment`).
    static func nouns(of question: String) -> Set<String> {
        Set(question.lowercased().split { !$0.isLetter }.map { singular(String($0)) })
    }

    /// `segments` → `segment`, `bytes` → `byte`; short words and others unchanged.
    static func singular(_ word: String) -> String {
        word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
    }

    /// The one whole number in `text` when every other word is a unit or one of `nouns`:
    /// `segment 11`, `seg #11`, `4 bytes`, `4 B`, `4B`, `200 ms`; nil for no number, two numbers
    /// or a word that is neither (`11 fish`, `four`).
    static func number(in text: String, nouns: Set<String>) -> Int? {
        var found: Int? = nil
        var words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        if let last = words.last, last.hasPrefix("("), last.hasSuffix(")") { words.removeLast() }
        for raw in words {
            let word = raw.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?"))
            let hashless = word.hasPrefix("#") && word.count > 1 ? String(word.dropFirst()) : word
            let digits = hashless.prefix { $0.isNumber || $0 == "-" || $0 == "+" }
            let unit = singular(String(hashless.dropFirst(digits.count)))
            if let value = Int(digits) {
                guard found == nil, unit.isEmpty || units.contains(unit) || nouns.contains(unit) else { return nil }
                found = value
            } else if !(units.contains(singular(word)) || nouns.contains(singular(word))) {
                return nil
            }
        }
        return found
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
        case .number: return "`\(shown)` is not a whole number (give it alone or with its unit: `11`, `#11`, `segment 11`, `4 bytes`)"
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
