@testable import TCPLabKit

/// `states-match-capture`, the claim every scenario gets, made to fail in every recorded variant:
/// a /proc table that lists a socket in a state the capture never led it to.
enum StateAgreementFailures {
    /// Every reference recording, by `scenario-variant`, that recorded a socket table (the claim
    /// is made only then: with no table to check it could not fail).
    static let recordings: [String] = ScenarioCatalog.infos.flatMap { info in info.variants.map { "\(info.name)-\($0.name)" } }
        .filter { (try? DoctoredRun($0))?.observation.snapshots.isEmpty == false }

    static let all: [ClaimFailure] = recordings.map { name in
        ClaimFailure(name, StateAgreement.id, "a /proc table a second after the last segment lists the client's socket in a state the capture never led it to",
                     seen: "/proc") { run in addContradictingTable(&run) }
    }

    /// Adds a table a second after the run's last segment: the client's socket of the first
    /// connection in SYN_SENT (CLOSING if the capture ends there), or, for a run without
    /// segments, an ESTABLISHED socket on the port that the capture never showed.
    static func addContradictingTable(_ run: inout DoctoredRun) {
        let rows = describeAll(run.observation.segments)
        let time = (rows.last?.time ?? run.observation.snapshots.last?.time ?? 1_700_000_000_000_000) + 1_000_000
        let entry: SocketEntry
        if let first = rows.first, let client = RecordedRun.endpoint(first.direction == .clientToServer ? first.source : first.destination),
           let server = RecordedRun.endpoint(first.direction == .clientToServer ? first.destination : first.source)
        {
            let end = StateTracker(rows).state(first.connection, .client, at: time)
            entry = socket(client, server, state: end == .synSent ? .closing : .synSent)
        } else {
            entry = socket(SocketAddress(address: run.context.server.address, port: 40000), run.context.server, state: .established)
        }
        run.observation.snapshots.append(SocketSnapshot(time: time, id: nil, moment: "a table added by the test",
                                                        table: SocketTable(entries: [entry]), labels: ["client"]))
    }

    static func socket(_ local: SocketAddress, _ remote: SocketAddress, state: TCPState) -> SocketEntry {
        SocketEntry(family: local.address.isIPv6 ? .ipv6 : .ipv4, localAddress: local.address, localPort: local.port,
                    remoteAddress: remote.address, remotePort: remote.port, state: state, sendQueue: 0, receiveQueue: 0,
                    timer: SocketTimer(kind: .none, expiresInHundredths: 0, retransmits: 0), uid: 0, inode: 0)
    }
}
