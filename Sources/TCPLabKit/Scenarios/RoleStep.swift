/// One application step of a role on the timeline: a call with its outcome, or a note.
public struct RoleStep: Sendable, Codable, Equatable {
    public var role: String
    public var call: String
    public var text: String
    public var isNote: Bool
    public var began: Int64
    public var ended: Int64?
    public var returnValue: Int?
    public var errno: Int32?
    public var data: String?
    public var local: String?
    public var peer: String?
    /// Set when the role died inside this call (it has a start and no end).
    public var killedBy: Termination?
    /// When the lab reaped the role that died in this call.
    public var killedAt: Int64?

    /// Where the step sits on the timeline. A recv or accept is placed when it returned (that is
    /// when the data or the connection arrived); every other call when it was made, so that the
    /// segments it causes (the FIN after close(), the data after send()) come after it.
    public var time: Int64 {
        switch call {
        case "recv", "accept", "waitpid": return ended ?? killedAt ?? began
        default: return began
        }
    }

    /// `send("hehe") = 4`, `recv() = 0 (EOF)`, `send("wawa") = -1 EPIPE (Broken pipe)`,
    /// `send("wawa") -> killed by SIGPIPE (signal 13)`.
    public var display: String {
        if isNote { return text }
        if let killedBy { return "\(text) -> \(killedBy)" }
        guard ended != nil else { return "\(text) …" }
        if let errno {
            return "\(text) = -1 \(Errno(rawValue: errno))"
        }
        guard let returnValue else { return text }
        if call == "recv" {
            if returnValue == 0 { return "\(text) = 0 (EOF)" }
            if let data { return "\(text) = \(returnValue) \(quoted(data))" }
        }
        return "\(text) = \(returnValue)"
    }

    /// The errno as a value, when the call failed.
    public var failure: Errno? { errno.map(Errno.init(rawValue:)) }
}

/// `"haha"` with control characters escaped, as a payload preview.
func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\"": result += "\\\""
        case " "..."~": result.unicodeScalars.append(scalar)
        default: result += "."
        }
    }
    return result + "\""
}
