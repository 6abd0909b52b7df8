import Foundation
import Glibc

/// Names for the signals a lab run can meet, so output says `SIGPIPE (signal 13)` and not `13`.
public enum SignalName {
    /// `SIGPIPE`, or `signal N` when unknown.
    public static func of(_ signal: Int32) -> String {
        names[signal] ?? "signal \(signal)"
    }

    /// `SIGPIPE (signal 13)`: the name with the number students see in shells (`128 + 13`).
    public static func described(_ signal: Int32) -> String {
        "\(of(signal)) (signal \(signal))"
    }

    /// The signal a student names: `SIGPIPE`, `PIPE` (any case), `13`, `signal 13` or
    /// `SIGPIPE (signal 13)`; nil for anything else. Numbers 1–64 are taken as they are (kill -l).
    public static func number(spelling: some StringProtocol) -> Int32? {
        var text = spelling.trimmingCharacters(in: .whitespaces).uppercased()
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), open != text.startIndex {
            text = text[..<open].trimmingCharacters(in: .whitespaces)
        }
        if text.hasPrefix("SIGNAL ") { text = String(text.dropFirst(7)) }
        if let number = Int32(text) { return (1...64).contains(number) ? number : nil }
        let name = text.hasPrefix("SIG") ? text : "SIG" + text
        return names.first { $0.value == name }?.key
    }

    private static let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
        SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
        SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        SIGCHLD: "SIGCHLD", SIGCONT: "SIGCONT", SIGSTOP: "SIGSTOP", SIGTSTP: "SIGTSTP",
    ]
}
