import Foundation
import Testing

/// A lab sheet (`Labs/NN-scenario.md`) as the sheet tests read it: the commands it asks a student
/// to run and the headings it has.
struct LabSheet: Sendable, CustomTestStringConvertible {
    /// One `$ tcplab …` line of a ```sh block.
    struct Command: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        var sheet: String
        var line: Int
        /// The line as written, without `$ `.
        var text: String
        /// The arguments after `tcplab`, split as a shell would.
        var arguments: [String]
        /// The `## ` heading the line is under, lowercased ("" before the first).
        var section: String = ""
        /// True for a line of the "Your own program" section: it runs a student's program under
        /// `tcplab watch` (until Ctrl-C) or `tcplab check` (whose verdict the sheet predicts).
        var runsOwnProgram: Bool { section == LabSheet.ownProgramSection }
        /// What the sheet says a `tcplab check` line does, in its trailing comment: `# passes`
        /// (exit 0) or `# fails` (exit 1); nil when the line has no such comment.
        var verdict: Verdict? {
            guard let hash = text.range(of: " #", options: .backwards) else { return nil }
            return Verdict(rawValue: text[hash.upperBound...].trimmingCharacters(in: .whitespaces))
        }
        var description: String { "\(sheet):\(line): \(text)" }
        var testDescription: String { description }
    }

    /// A sheet's word for a check's outcome, and the exit status `tcplab check` gives it.
    enum Verdict: String, Sendable {
        case passes
        case fails

        var status: Int32 { self == .passes ? 0 : 1 }
    }

    enum ParseError: Error, CustomStringConvertible {
        case unterminatedQuote(String)
        case unterminatedBlock(String)
        var description: String {
            switch self {
            case .unterminatedQuote(let line): return "unterminated quote in `\(line)`"
            case .unterminatedBlock(let sheet): return "\(sheet): a ``` block is never closed"
            }
        }
    }

    var url: URL
    var text: String

    var name: String { url.lastPathComponent }
    var testDescription: String { name }

    /// The scenario the sheet is about: `02-close-states.md` -> `close-states`.
    var scenario: String {
        let stem = url.deletingPathExtension().lastPathComponent
        guard let dash = stem.firstIndex(of: "-") else { return stem }
        return String(stem[stem.index(after: dash)...])
    }

    /// The package root, found from this file's own path (Tests/LiveTests/LabSheet.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every numbered sheet in Labs/ (`NN-name.md`), in order; Labs/README.md is not a sheet.
    static func all() -> [LabSheet] {
        let directory = packageRoot.appendingPathComponent("Labs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.sorted().compactMap { name in
            let url = directory.appendingPathComponent(name)
            return (try? String(contentsOf: url, encoding: .utf8)).map { LabSheet(url: url, text: $0) }
        }
    }

    /// The `## ` headings, lowercased.
    var headings: [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { $0.dropFirst(3).lowercased() }
    }

    /// The heading of the section that runs the programs of Labs/programs, lowercased.
    static let ownProgramSection = "your own program"

    /// How a "Your own program" section without a `tcplab check` line says why it has none: a
    /// paragraph starting with these words, followed by the reason (loss is the kernel's doing).
    static let noCheckMarker = "No `tcplab check` here"

    /// The text of the "Your own program" section, up to the next `## ` heading ("" if none).
    var ownProgramText: String {
        var lines: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inside = line.dropFirst(3).lowercased() == Self.ownProgramSection }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// The reason a section gives for having no check line: the words after `noCheckMarker` up to
    /// the paragraph's end, nil when it gives none.
    var noCheckReason: String? {
        let section = ownProgramText
        guard let marker = section.range(of: Self.noCheckMarker) else { return nil }
        let paragraph = section[marker.upperBound...].components(separatedBy: "\n\n").first ?? ""
        let reason = paragraph.drop { $0 == ":" || $0 == " " || $0 == "." || $0 == "," }.trimmingCharacters(in: .whitespacesAndNewlines)
        return reason.count >= 20 ? reason : nil
    }

    /// Every `Labs/programs/…` path the sheet names, in order, once each.
    var programPaths: [String] {
        var paths: [String] = []
        for match in text.matches(of: /Labs\/programs\/[A-Za-z0-9_.\/-]*[A-Za-z0-9_]/) where !paths.contains(String(match.output)) {
            paths.append(String(match.output))
        }
        return paths
    }

    /// Every line starting with `$ tcplab ` inside a ```sh fence.
    func commands() throws -> [Command] {
        var commands: [Command] = []
        var fence: Substring?
        var section = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if fence == nil, line.hasPrefix("## ") { section = line.dropFirst(3).lowercased() }
            if trimmed.hasPrefix("```") {
                fence = fence == nil ? Substring(trimmed.dropFirst(3)) : nil
                continue
            }
            guard fence == "sh", trimmed.hasPrefix("$ tcplab ") else { continue }
            let text = String(trimmed.dropFirst(2))
            let words = try Self.split(text)
            commands.append(Command(sheet: name, line: index + 1, text: text, arguments: Array(words.dropFirst()), section: section))
        }
        if fence != nil { throw ParseError.unterminatedBlock(name) }
        return commands
    }

    /// Splits a command line as sh does for plain words: blanks separate words; '…' is literal;
    /// "…" keeps blanks and honours \" \\ \$ \`; a backslash outside quotes escapes the next
    /// character; an unquoted # at the start of a word begins a comment.
    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            case "#" where !inWord:
                return words
            case "'":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "'" { closed = true; break }
                    word.append(next)
                }
                if !closed { throw ParseError.unterminatedQuote(line) }
            case "\"":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = characters.next() else { break }
                        if !"\"\\$`".contains(escaped) { word.append("\\") }
                        word.append(escaped)
                    } else {
                        word.append(next)
                    }
                }
                if !closed { throw ParseError.unterminatedQuote(line) }
            case "\\":
                inWord = true
                if let escaped = characters.next() { word.append(escaped) }
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
