/// A teaching claim with its verdict, computed from what the run observed, never assumed.
public struct Claim: Sendable, Codable, Equatable {
    /// A stable name autograders can key on: `reply-acked`, `rst-after-close` …
    public var id: String
    /// What the textbook says, as one sentence.
    public var statement: String
    public var holds: Bool
    /// The evidence: segment numbers and steps when it holds, what was seen instead when not.
    public var evidence: String

    public init(id: String, statement: String, holds: Bool, evidence: String) {
        self.id = id
        self.statement = statement
        self.holds = holds
        self.evidence = evidence
    }

    /// A claim that holds when `evidence` is found, and otherwise says what was seen instead.
    public static func check(_ id: String, _ statement: String, _ finding: Result<String, Unseen>) -> Claim {
        switch finding {
        case .success(let evidence): return Claim(id: id, statement: statement, holds: true, evidence: evidence)
        case .failure(let unseen): return Claim(id: id, statement: statement, holds: false, evidence: "seen instead: \(unseen.text)")
        }
    }
}

/// What was observed where a claim expected something else.
public struct Unseen: Error, Sendable {
    public var text: String
    public init(_ text: String) { self.text = text }
}
