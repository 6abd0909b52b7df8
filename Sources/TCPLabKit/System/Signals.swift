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

    private static let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
        SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
        SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        SIGCHLD: "SIGCHLD", SIGCONT: "SIGCONT", SIGSTOP: "SIGSTOP", SIGTSTP: "SIGTSTP",
    ]
}
