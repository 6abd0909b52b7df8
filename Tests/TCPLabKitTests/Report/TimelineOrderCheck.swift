import Foundation
@testable import TCPLabKit

/// Reads a rendered view of a run back (text timeline, terminal ladder, HTML) and checks that
/// each call sits where the order rule says, from the times alone: a result (or a whole call)
/// has no segment captured before the call returned below it, a start line has no segment
/// captured after the call began above it, every call that returned shows its result exactly
/// once, and a call shown twice has its start above its result.
///
/// To find each call's lines again, whatever the view does to them (a role prefix, an ellipsis,
/// HTML escaping), each call's text is tagged first with `{step N}` (N its index in `steps`);
/// the views order by times only, so the tags change nothing but the words.
struct TimelineOrderCheck {
    /// One line of a view: a segment (by its number) or anything else, as text.
    enum Line: Equatable {
        case segment(Int)
        case text(String)
    }

    let steps: [RoleStep]
    /// Each segment's capture time, by number.
    let segmentTimes: [Int: Int64]

    /// `steps` with every call's text tagged; notes are left as they are.
    static func tagged(_ steps: [RoleStep]) -> [RoleStep] {
        steps.enumerated().map { index, step in
            var step = step
            if !step.isNote { step.text = "{step \(index)} " + step.text }
            return step
        }
    }

    /// What is wrong with `lines`, one sentence each; empty when the order holds.
    func problems(_ lines: [Line]) -> [String] {
        var segments: [(position: Int, time: Int64, number: Int)] = []
        var begins: [Int: [Int]] = [:], results: [Int: [Int]] = [:], wholes: [Int: [Int]] = [:]
        for (position, line) in lines.enumerated() {
            switch line {
            case .segment(let number):
                if let time = segmentTimes[number] { segments.append((position, time, number)) }
            case .text(let text):
                guard let (index, rest) = Self.tag(in: text) else { continue }
                if text.contains("... {step \(index)}") {
                    results[index, default: []].append(position)
                } else if rest.hasSuffix(" ...") {
                    begins[index, default: []].append(position)
                } else {
                    wholes[index, default: []].append(position)
                }
            }
        }
        var problems: [String] = []
        func check(_ index: Int, _ what: String, at position: Int, time: Int64) {
            if let late = segments.first(where: { $0.position < position && $0.time > time }) {
                problems.append("\(what) of step \(index) (\(steps[index].text)) is below #\(late.number), captured \(late.time - time) µs after it")
            }
            if let early = segments.first(where: { $0.position > position && $0.time < time }) {
                problems.append("\(what) of step \(index) (\(steps[index].text)) is above #\(early.number), captured \(time - early.time) µs before it")
            }
        }
        for (index, step) in steps.enumerated() where !step.isNote {
            let begin = begins[index] ?? [], result = results[index] ?? [], whole = wholes[index] ?? []
            guard let returned = step.returned else {
                if !result.isEmpty || !whole.isEmpty { problems.append("step \(index) never returned but shows a result") }
                if begin.count > 1 { problems.append("step \(index) shows its start \(begin.count) times") }
                if let position = begin.first { check(index, "the start", at: position, time: step.began) }
                continue
            }
            switch (begin.count, result.count, whole.count) {
            case (0, 0, 1):
                check(index, "the whole call", at: whole[0], time: returned)
                if let inside = segments.first(where: { $0.time > step.began && $0.time < returned }) {
                    problems.append("step \(index) (\(step.text)) is shown once though #\(inside.number) was captured while it ran")
                }
            case (1, 1, 0):
                if begin[0] > result[0] { problems.append("the result of step \(index) (\(step.text)) is above its start") }
                check(index, "the start", at: begin[0], time: step.began)
                check(index, "the result", at: result[0], time: returned)
            default:
                problems.append("step \(index) (\(step.text)) shows \(begin.count) start, \(result.count) result and \(whole.count) whole lines")
            }
        }
        return problems
    }

    /// The step index tagged in `text` and the text from the tag on.
    static func tag(in text: String) -> (Int, Substring)? {
        guard let open = text.range(of: "{step ") else { return nil }
        let digits = text[open.upperBound...].prefix { $0.isNumber }
        guard let index = Int(digits), text[open.upperBound...].dropFirst(digits.count).hasPrefix("}") else { return nil }
        return (index, text[open.lowerBound...])
    }

    // MARK: Reading the views back

    /// The text timeline or the terminal ladder: a line whose first word is a number right-aligned
    /// in 4 columns is a segment (`   12  …`, `  12 │─ …`).
    static func lines(printed: [String]) -> [Line] {
        printed.map { line in
            let first = line.split(separator: " ").first
            if let first, let number = Int(first), line.hasPrefix(String(repeating: " ", count: max(0, 4 - first.count)) + first) {
                return .segment(number)
            }
            // A ladder row: what is between the two lifelines.
            if let first = line.firstIndex(of: "│"), let last = line.lastIndex(of: "│"), first < last {
                return .text(line[line.index(after: first)..<last].trimmingCharacters(in: .whitespaces))
            }
            return .text(line)
        }
    }

    /// The HTML report's SVG: `<g class="segment …" data-number="N">` and the `<title>` of each
    /// `<g class="step …">`, in the page's order.
    static func lines(html page: String) -> [Line] {
        var lines: [Line] = []
        let pattern = try! NSRegularExpression(pattern: #"<g class="segment [a-z]+" data-number="(\d+)"|<g class="step [a-z]+"><title>([^<]*)</title>"#)
        let text = page as NSString
        for match in pattern.matches(in: page, range: NSRange(location: 0, length: text.length)) {
            if match.range(at: 1).location != NSNotFound {
                lines.append(.segment(Int(text.substring(with: match.range(at: 1)))!))
            } else {
                lines.append(.text(unescape(text.substring(with: match.range(at: 2)))))
            }
        }
        return lines
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
