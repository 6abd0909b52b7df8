import Foundation

/// A student's answers for `--answers FILE`: either `id: answer` lines or a JSON object
/// `{"id": "answer", …}`. In lines, `#` starts a comment at the start of a line, or after white
/// space unless a digit follows it (`11  # the RST`, `11 #guessed`), so `rst-segment: #11` answers 11.
public enum AnswerSheet {
    /// The `id: answer` pairs of `text`, answers trimmed. Throws a one-line usage error for a line
    /// without a colon, an id answered twice (in lines or in JSON), or JSON that is not an object.
    public static func parse(_ text: String) throws(LabError) -> [String: String] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw LabError.usage("it looks like JSON but is not an object of id: answer")
            }
            if let twice = JSONObjectKeys.firstRepeat(trimmed) {
                throw LabError.usage("`\(twice)` is answered twice")
            }
            return object.mapValues { "\($0)" }
        }
        var answers: [String: String] = [:]
        var lines: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = withoutComment(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw LabError.usage("line \(number): expected `id: answer`, found `\(raw)`")
            }
            let id = line[..<colon].trimmingCharacters(in: .whitespaces)
            if let first = lines[id] {
                throw LabError.usage("line \(number): `\(id)` is answered twice (first on line \(first))")
            }
            lines[id] = number
            answers[id] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return answers
    }

    /// The answers of `text` for `exercise`, each as the student typed it (trimmed), once checked
    /// that it answers its question (`Prediction.canonical`; the mark reads it the same way and
    /// echoes both: `you said FIN-WAIT-2 (FIN_WAIT2)`).
    /// Throws a one-line usage error when the file answers nothing, names a question the exercise
    /// does not ask, or gives an answer that is no answer to its question (a choice out of range,
    /// words that are none of the choices, a number that is not one).
    public static func answers(_ text: String, for exercise: Exercise) throws(LabError) -> [String: String] {
        let given = try parse(text)
        if given.isEmpty { throw LabError.usage("it answers no question; `tcplab exercise \(exercise.scenario) --questions` lists them") }
        let unknown = Set(given.keys).subtracting(exercise.predictions.map(\.id))
        if !unknown.isEmpty {
            throw LabError.usage("it names no such question: \(unknown.sorted().joined(separator: ", ")); "
                                 + "`tcplab exercise \(exercise.scenario) --questions` lists them")
        }
        var answers: [String: String] = [:]
        for prediction in exercise.predictions {
            guard let answer = given[prediction.id] else { continue }
            guard prediction.canonical(answer) != nil else {
                throw LabError.usage("\(prediction.id): \(prediction.why(invalid: answer))")
            }
            answers[prediction.id] = answer
        }
        return answers
    }

    /// The line up to its comment: a `#` at the line's start, or after white space and not
    /// followed by a digit (`#11` is a segment number).
    static func withoutComment(_ line: Substring) -> Substring {
        var previous: Character? = nil
        for index in line.indices {
            let character = line[index]
            if character == "#" {
                let next = line.index(after: index)
                let startsWord = previous == nil || previous!.isWhitespace
                let endsWord = next == line.endIndex || !line[next].isNumber
                let atStart = line[..<index].allSatisfy(\.isWhitespace)
                if atStart || (startsWord && endsWord) { return line[..<index] }
            }
            previous = character
        }
        return line
    }
}
