import Foundation
import Testing
@testable import TCPLabKit

/// Every claim can fail: each is fed doctored evidence and must FAIL, saying what was seen.
@Suite struct ClaimFailureTests {
    @Test(arguments: ClaimFailures.all)
    func claimFailsOnDoctoredEvidence(_ failure: ClaimFailure) throws {
        var run = try DoctoredRun(failure.recording)
        let before = try #require(run.claims().first { $0.id == failure.claim }, "the recording has no claim \(failure.claim)")
        #expect(before.holds, "the claim must hold on the recording before the edit: \(before.evidence)")
        failure.apply(&run)
        let after = try #require(run.claims().first { $0.id == failure.claim })
        #expect(!after.holds, "\(failure.claim) still holds after \(failure.edit): \(after.evidence)")
        #expect(after.evidence.contains(failure.seen), "\(failure.claim) failed, but its message does not say \"\(failure.seen)\": \(after.evidence)")
    }

    /// Claims (by recorded variant and id) with a failing test, over all claims of all variants.
    static func coverage() throws -> (covered: Int, total: Int, missing: [String]) {
        var total = 0
        var missing: [String] = []
        for info in ScenarioCatalog.infos {
            for variant in info.variants {
                let name = "\(info.name)-\(variant.name)"
                let run = try DoctoredRun(name)
                for claim in run.claims() {
                    total += 1
                    if !ClaimFailures.all.contains(where: { $0.recording == name && $0.claim == claim.id }) {
                        missing.append("\(name) \(claim.id)")
                    }
                }
            }
        }
        return (total - missing.count, total, missing)
    }

    @Test func everyClaimOfEveryVariantHasAFailingTest() throws {
        let (covered, total, missing) = try Self.coverage()
        print("claims with a failing test: \(covered)/\(total)")
        #expect(missing.isEmpty, "claims without a test that makes them fail: \(missing.joined(separator: ", "))")
    }
}
