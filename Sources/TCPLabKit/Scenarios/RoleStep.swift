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

    /// `send("hehe") = 4`, `recv() = 0 (EOF)`, `send("wawa") = -1 EPIPE (Broken pipe)`,
    /// `send("wawa") -> killed by SIGPIPE (signal 13)`; a call still running: `accept() ...`.
    public var display: String { display(.whole) }

    /// The step as one part of the timeline (see `Timeline`): `.whole` as `display`, `.begin`
    /// `connect(127.0.0.1:7777) ...`, `.result` `... connect = -1 ECONNREFUSED (Connection refused)`
    /// or `... send -> killed by SIGPIPE (signal 13)`, as strace shows an unfinished call resumed.
    public func display(_ part: Timeline.CallPart) -> String {
        if isNote { return text }
        switch part {
        case .begin: return "\(text) ..."
        case .whole: return text + (outcome ?? " ...")
        case .result: return "... \(name)" + (outcome ?? "")
        }
    }

    /// What the call came to, as strace writes it after the call: ` = 4 "haha"`, ` = 0 (EOF)`,
    /// ` = -1 EPIPE (Broken pipe)`, ` -> killed by SIGPIPE (signal 13)`; empty for a call that
    /// returned no value; nil while it is still running.
    var outcome: String? {
        if let killedBy { return " -> \(killedBy)" }
        guard ended != nil else { return nil }
        if let errno { return " = -1 \(Errno(rawValue: errno))" }
        guard let returnValue else { return "" }
        if call == "recv" {
            if returnValue == 0 { return " = 0 (EOF)" }
            if let data { return " = \(returnValue) \(quoted(data))" }
        }
        return " = \(returnValue)"
    }

    /// The call's name as its text begins, without arguments: `connect`, `client 2: connect`,
    /// `epoll_create1`; the text whole when it has no argument list.
    var name: String {
        guard let open = text.firstIndex(of: "(") else { return text }
        return String(text[..<open])
    }

    /// The `call` of a note that is a line the role wrote on its standard error.
    public static let standardErrorCall = "stderr"
    /// How such a note's text begins: `stderr: ` for a role's standard error, `output: ` for a
    /// pipe that carries its standard output and error both (a student's program in `tcplab check`).
    public static let standardErrorPrefix = "stderr: "
    public static let outputPrefix = "output: "

    /// The line a `standardErrorCall` note holds, without its label (`stderr: `, `output: `).
    public var printedLine: String {
        for prefix in [Self.standardErrorPrefix, Self.outputPrefix] where text.hasPrefix(prefix) { return String(text.dropFirst(prefix.count)) }
        return text
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
