import Testing
@testable import TCPLabKit

/// One claim of one recorded variant, made to fail: the edit another kernel or a buggy program
/// would have made to the evidence, and what the claim's message must then say was seen.
struct ClaimFailure: Sendable, CustomTestStringConvertible {
    /// `broken-pipe-default`: the reference recording the edit starts from.
    let recording: String
    /// The claim id that must then FAIL.
    let claim: String
    /// What was changed, in a few words.
    let edit: String
    /// Text the claim's evidence must contain: what was seen instead.
    let seen: String
    let apply: @Sendable (inout DoctoredRun) -> Void

    init(_ recording: String, _ claim: String, _ edit: String, seen: String, _ apply: @escaping @Sendable (inout DoctoredRun) -> Void) {
        self.recording = recording
        self.claim = claim
        self.edit = edit
        self.seen = seen
        self.apply = apply
    }

    var testDescription: String { "\(recording) \(claim): \(edit)" }

    /// The same edit for several recordings (the variants that share a claim).
    static func each(
        _ recordings: [String], _ claim: String, _ edit: String, seen: String, _ apply: @escaping @Sendable (inout DoctoredRun) -> Void
    ) -> [ClaimFailure] {
        recordings.map { ClaimFailure($0, claim, edit, seen: seen, apply) }
    }
}

/// Every claim failure the tests make, one list per scenario.
enum ClaimFailures {
    static let all: [ClaimFailure] = BrokenPipeFailures.all + ZombieFailures.all
        + CloseStatesFailures.all + UnreadCloseFailures.all + ReuseAddrFailures.all
        + IterativeFailures.all + RefusedFailures.all + BacklogFailures.all + NagleFailures.all
        + ConcurrencyFailures.all
        + IOModelsFailures.all
        + FlowControlFailures.all + KeepaliveFailures.all
        + StateAgreementFailures.all
        + LossFailures.all
}
