/// The lines a live timeline may print for one call. Where a call's result goes depends on what
/// happened while it ran (see `Timeline`): one line `client  send("hehe") = 4` when nothing did,
/// or a start `client  send("hehe") ...` and a result `client  ... send = 4` when segments fell
/// inside it, as they usually do on loopback. A live run can show either, so tests accept both.
struct CallLines {
    /// `client  `: the role in its 8-column field, as `TimelinePrinter` prints it.
    let role: String
    /// `send("hehe")`
    let call: String
    /// ` = 4`, ` = 0 (EOF)`, ` -> killed by SIGPIPE (signal 13)`, ` = -1 ECONNRESET`: the start of the outcome.
    let outcome: String

    init(_ role: String, _ call: String, _ outcome: String) {
        self.role = role.count >= 8 ? role : role + String(repeating: " ", count: 8 - role.count)
        self.call = call
        self.outcome = outcome
    }

    /// `send`: what the resumed line names.
    var name: Substring { call.prefix { $0 != "(" } }

    /// Whether `text` shows the call with its outcome, in one line or as a start and a result.
    func shown(in text: String) -> Bool {
        text.contains(role + call + outcome) || text.contains(role + call + " ...") && text.contains(role + "... \(name)" + outcome)
    }

    /// The same for a ladder, where a step is its text alone beside the lifeline (`│ send("hehe") = 4`).
    func shown(inLadder lines: [Substring]) -> Bool {
        lines.contains { $0.contains(call + outcome) }
            || lines.contains { $0.contains(call + " ...") } && lines.contains { $0.contains("... \(name)" + outcome) }
    }
}
