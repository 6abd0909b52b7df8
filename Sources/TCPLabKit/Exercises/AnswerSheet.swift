import Foundation

/// A student's answers for `--answers FILE`: either `id: answer` lines (`#` starts a comment)
/// or a JSON object `{"id": "answer", …}`.
public enum AnswerSheet {
    public static func parse(_ text: String) throws(LabError) -> [String: String] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw LabError.usage("the answers file looks like JSON but is not an object of id: answer")
            }
            return object.mapValues { "\($0)" }
        }
        var answers: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw LabError.usage("answers file line \(number + 1): expected `id: answer`, found `\(raw)`")
            }
            let id = line[..<colon].trimmingCharacters(in: .whitespaces)
            answers[id] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return answers
    }
}
