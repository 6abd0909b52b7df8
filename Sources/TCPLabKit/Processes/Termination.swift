import Glibc

/// How a role process ended, as waitpid reported it: a value the claims check, never an error.
public enum Termination: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The process called exit (or returned from main) with this status.
    case exited(Int32)
    /// A signal's default action killed the process (WIFSIGNALED), e.g. SIGPIPE.
    case signaled(Int32)

    /// Decodes a raw waitpid status word (the WIFEXITED/WTERMSIG macros are not importable into Swift).
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signaled(let signal): return "killed by \(SignalName.described(signal))"
        }
    }
}
