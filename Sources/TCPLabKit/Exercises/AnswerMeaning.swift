import Foundation

/// What an answer means, whichever way it is spelt, so that a prediction is marked on its
/// meaning and not its spelling: `FIN-WAIT-2`, `fin wait 2` and `FIN_WAIT2` are one TCP state,
/// `SIGPIPE`, `PIPE` and `killed by SIGPIPE` one ending, `EPIPE`, `Broken pipe` and `32` one errno.
/// The same reading is applied to a choice, to the student's answer and to what the run showed.
public enum AnswerMeaning: Hashable, Sendable {
    /// A TCP state (read through `TCPState(spelling:)`).
    case state(TCPState)
    /// A process killed by this signal (`killed by SIGPIPE`, `SIGPIPE`, `PIPE`).
    case signal(Int32)
    /// A process that exited with this status (`exited 0`, `exit status 0`).
    case exited(Int32)
    /// A call that failed with this errno (`EPIPE`, `Broken pipe`, `EPIPE (Broken pipe)`).
    case errno(Int32)
    /// A whole number (`11`, `#11`, `0 (EOF)`, `EOF`).
    case number(Int)
    /// Anything else, lower-cased with runs of spaces made one (`after a's fin`).
    case words(String)

    /// Reads `text`. A bare number stays a `.number`: whether `13` means choice 13, SIGPIPE or
    /// errno 13 depends on the question (see `Prediction.canonical`).
    public init(_ text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        if let number = Self.number(trimmed) { self = .number(number); return }
        for prefix in ["killed by ", "killed with ", "died of ", "signaled ", "signalled ", "signal "] where lower.hasPrefix(prefix) {
            if let signal = SignalName.number(spelling: trimmed.dropFirst(prefix.count)) { self = .signal(signal); return }
        }
        for prefix in ["exited with status ", "exited with ", "exit status ", "exited ", "exit "] where lower.hasPrefix(prefix) {
            if let code = Int32(trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)) { self = .exited(code); return }
        }
        if lower.hasPrefix("-1 "), let errno = Errno(spelling: trimmed.dropFirst(3)) { self = .errno(errno.rawValue); return }
        if let state = TCPState(spelling: trimmed) { self = .state(state); return }
        if lower.hasPrefix("sig"), let signal = SignalName.number(spelling: trimmed) { self = .signal(signal); return }
        if let errno = Errno(spelling: trimmed), Int32(trimmed) == nil { self = .errno(errno.rawValue); return }
        if Int32(trimmed) == nil, let signal = SignalName.number(spelling: trimmed) { self = .signal(signal); return }
        self = .words(lower.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    /// `11`, `#11`, `+11`, `0 (EOF)` (a number with a remark in brackets) and `EOF` (0) as a number.
    static func number(_ text: String) -> Int? {
        var text = Substring(text)
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), open != text.startIndex {
            text = text[..<open]
        }
        let bare = text.trimmingCharacters(in: .whitespaces)
        if bare.lowercased() == "eof" { return 0 }
        return Int(bare.hasPrefix("#") ? String(bare.dropFirst()) : bare)
    }

    /// The number a signal or errno answer carries, so a bare `13` can stand for SIGPIPE.
    var code: Int32? {
        switch self {
        case .signal(let value), .errno(let value): value
        default: nil
        }
    }
}
