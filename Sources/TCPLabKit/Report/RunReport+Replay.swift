extension RunReport {
    /// The report of a replayed recording: the recording's steps, snapshots and notes, the
    /// segment rows printed from its re-decoded pcap, and the claims judged again.
    public init(replaying recording: RecordedRun, rows: [SegmentRow], claims: [Claim], path: String) {
        self = recording.report
        segments = rows
        droppedOnInput = RunReport.dropped(recording.observation)
        self.claims = claims
        replayedFrom = path
        passed = RunReport.passes(error: error, claims: claims, capture: capture)
    }
}
