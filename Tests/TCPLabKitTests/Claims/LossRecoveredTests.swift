import Testing
@testable import TCPLabKit

/// tail-loss `recovered`: the hole left to the retransmission timeout holds only with the
/// kernel's evidence that RACK had to ignore the probe's SACK (its round trip below min_rtt).
@Suite struct LossRecoveredTests {
    @Test func anRTOResendHoldsWhenTheProbesSACKBeatMinRTT() throws {
        var run = try DoctoredRun("loss-tail-loss")
        run.resendHoleByTimeout(after: 215, minRTT: { $0 + 5 })
        let claim = try #require(run.claims().first { $0.id == "recovered" })
        #expect(claim.holds, "\(claim.evidence)")
        #expect(claim.evidence.contains("by the retransmission timeout"))
        #expect(claim.evidence.contains("RACK ignores the SACK of a resent segment"))
    }

    @Test func theRecordedRunReadMinRTTAfterTheSACKAndRecoveredAtOnce() throws {
        let run = try DoctoredRun("loss-tail-loss")
        let reading = try #require(run.observation.senderRoundTrip)
        let facts = run.lossFacts
        let sack = try #require(facts.serverAcks.first { !facts.sackBlocks($0).isEmpty })
        #expect(reading.afterSegment == sack.number)
        #expect(reading.minRTTMicroseconds > 0 && reading.minRTTMicroseconds < UInt32.max)
        let claim = try #require(run.claims().first { $0.id == "recovered" })
        #expect(claim.holds, "\(claim.evidence)")
        #expect(claim.evidence.contains("right after the SACK"))
    }

    @Test func aRecordingWithoutTheReadingStillDecodes() throws {
        let run = try DoctoredRun("loss-fast-retransmit")
        #expect(run.observation.senderRoundTrip == nil)
    }

    @Test func tcpInfoGivesRTTAndMinRTTAtTheirABIOffsets() {
        var bytes = [UInt8](repeating: 0, count: 232)
        bytes.replaceSubrange(68..<72, with: [0xA0, 0x00, 0x00, 0x00])   // tcpi_rtt 160 µs
        bytes.replaceSubrange(72..<76, with: [0x50, 0x00, 0x00, 0x00])   // tcpi_rttvar 80 µs
        bytes.replaceSubrange(148..<152, with: [0x0C, 0x00, 0x00, 0x00]) // tcpi_min_rtt 12 µs
        let reading = RoundTripReading.parse(tcpInfo: bytes[...], time: 1, afterSegment: 15)
        #expect(reading == RoundTripReading(time: 1, afterSegment: 15, rttMicroseconds: 160, rttvarMicroseconds: 80, minRTTMicroseconds: 12))
        #expect(reading?.text == "rtt:0.160/0.080 minrtt:0.012")
        #expect(RoundTripReading.parse(tcpInfo: bytes[0..<148], time: 1, afterSegment: 15) == nil, "no tcpi_min_rtt before Linux 4.10")
    }
}

/// A real run that took the timeout branch (captures/recorded/loss-tail-loss-rto.*).
@Suite struct LossRecordedRTOTests {
    static func recording() throws -> RecordedRun {
        try RecordedRun(jsonPath: capturesDirectory.appendingPathComponent("recorded/loss-tail-loss-rto.json").path)
    }

    static func recovered(_ observation: Observation, _ recording: RecordedRun) throws -> Claim {
        let scenario = try ScenarioCatalog.make(name: recording.report.scenario, variant: recording.report.variant)
        return try #require(scenario.judge(observation, recording.context).first { $0.id == "recovered" })
    }

    @Test func everyClaimHoldsWithTheTimeoutExplainedByMinRTT() throws {
        let recording = try Self.recording()
        let scenario = try ScenarioCatalog.make(name: recording.report.scenario, variant: recording.report.variant)
        let claims = scenario.judge(recording.observation, recording.context)
        #expect(claims.count == 6 && claims.allSatisfy(\.holds), "\(claims.filter { !$0.holds }.map(\.evidence))")
        let recovered = try Self.recovered(recording.observation, recording)
        #expect(recovered.evidence.contains("by the retransmission timeout"))
        #expect(recovered.evidence.contains("min_rtt of 37 µs"))
    }

    @Test func withoutTheReadingTheSameRunFails() throws {
        let recording = try Self.recording()
        var observation = recording.observation
        observation.senderRoundTrip = nil
        let recovered = try Self.recovered(observation, recording)
        #expect(!recovered.holds)
        #expect(recovered.evidence.contains("no tcp_info min_rtt read after the SACK"))
    }
}
