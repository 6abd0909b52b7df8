import Foundation
import Glibc

/// What an answer means, whichever way it is spelt, so that a prediction is marked on its
/// meaning and not its spelling: `FIN-WAIT-2`, `fin wait 2` and `FIN_WAIT2` are one TCP state,
/// `SIGPIPE`, `PIPE` and `killed by SIGPIPE` one ending, `EPIPE`, `Broken pipe` and `32` one errno,
/// `exited 0`, `exits 0` and `exit status 0` one exit.
/// The same reading is applied to a choice, to the student's answer and to what the run showed.
public enum AnswerMeaning: Hashable, Sendable {
    /// A TCP state (read through `TCPState(spelling:)`).
    case state(TCPState)
    /// A process killed by this signal (`killed by SIGPIPE`, `SIGPIPE`, `PIPE`).
    case signal(Int32)
    /// A process that exited with this status (`exited 0`, `exits 0`, `exit status 0`).
    case exited(Int32)
    /// A call that failed with this errno (`EPIPE`, `Broken pipe`, `EPIPE (Broken pipe)`,
    /// `-1 EPIPE`, `a call failing with EPIPE`).
    case errno(Int32)
    /// A whole number (`11`, `#11`, `0 (EOF)`, `EOF`).
    case number(Int)
    /// A value a call or process returned (`returned 4`, `returns 0`, `= 4`): a number for a
    /// number question, an exit status where the choices are exits (see `Prediction.canonical`).
    case returned(Int)
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
        for prefix in Self.exitPrefixes where lower.hasPrefix(prefix) {
            if let code = Int32(trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)) { self = .exited(code); return }
        }
        for prefix in ["it returned ", "it returns ", "returned ", "returns ", "return ", "= "] where lower.hasPrefix(prefix) {
            switch AnswerMeaning(trimmed.dropFirst(prefix.count)) {
            case .number(let value): self = .returned(value); return
            case .errno(let value): self = .errno(value); return
            default: break
            }
        }
        for prefix in ["-1 ", "a call failing with ", "failing with ", "failed with ", "fails with "] where lower.hasPrefix(prefix) {
            if let errno = Errno(spelling: trimmed.dropFirst(prefix.count)) { self = .errno(errno.rawValue); return }
        }
        if let state = TCPState(spelling: trimmed) { self = .state(state); return }
        if lower.hasPrefix("sig"), let signal = SignalName.number(spelling: trimmed) { self = .signal(signal); return }
        if let errno = Errno(spelling: trimmed), Int32(trimmed) == nil { self = .errno(errno.rawValue); return }
        if Int32(trimmed) == nil, let signal = SignalName.number(spelling: trimmed) { self = .signal(signal); return }
        self = .words(lower.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    /// How an exit is said: `exited 0`, `exits 0`, `exit 0`, `exit status 0`, `exited with code 0`.
    static let exitPrefixes = ["exited with status ", "exited with code ", "exited with ", "exits with status ", "exits with code ",
                               "exits with ", "exit status ", "exit code ", "exited ", "exits ", "exit "]

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

    /// The outcome the kernel gives the same mistake when the other one is not taken: a send on a
    /// connection the peer has reset raises SIGPIPE, or fails with EPIPE when SIGPIPE is ignored
    /// or `MSG_NOSIGNAL` is set (send(2), write(2)). So `32` on a question whose choice is
    /// `killed by SIGPIPE` reads as EPIPE. Nil for every other reading.
    var companion: AnswerMeaning? {
        switch self {
        case .signal(SIGPIPE): .errno(EPIPE)
        case .errno(EPIPE): .signal(SIGPIPE)
        default: nil
        }
    }

    /// A signal, an exit or a failed call: how a process or a call ended.
    var isEnding: Bool {
        switch self {
        case .signal, .exited, .errno: true
        default: false
        }
    }

    /// An ending or a call's return value (`0` beside `ECONNREFUSED`).
    var isOutcome: Bool {
        if case .number = self { return true }
        return isEnding
    }

    /// An exit status.
    var isExit: Bool {
        if case .exited = self { return true }
        return false
    }

    /// A failed call's errno.
    var isErrno: Bool {
        if case .errno = self { return true }
        return false
    }

    /// A TCP state.
    var isState: Bool {
        if case .state = self { return true }
        return false
    }
}
