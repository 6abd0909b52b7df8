import Foundation

/// A reference recording read back: the run's JSON (`tcplab scenario … --json`) and its pcap,
/// turned into the same `Observation` a live run builds, so the timeline and the claims are
/// computed again from the recording rather than copied from it.
///
/// The segments come from the pcap, decoded afresh and kept exactly as the live capture kept
/// them (TCP to or from the server's port, numbered in capture order); the steps, role ends,
/// socket and process snapshots and notes come from the JSON, since a pcap holds none of them.
public struct RecordedRun: Sendable {
    /// The report as recorded (its claims are the recording's own verdicts).
    public var report: RunReport
    public var observation: Observation
    public var context: RecordedContext
    public var jsonPath: String
    public var pcapPath: String

    /// Reads `jsonPath` and the capture next to it (`NAME.pcap` beside `NAME.json`).
    public init(jsonPath: String) throws(LabError) {
        let pcapPath = (jsonPath as NSString).deletingPathExtension + ".pcap"
        let report: RunReport
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: jsonPath))
            report = try JSONDecoder().decode(RunReport.self, from: data)
        } catch let error as DecodingError {
            throw LabError.usage("cannot read the recorded run \(jsonPath): \(RecordedRun.explain(error))")
        } catch {
            throw LabError.usage("cannot read the recorded run \(jsonPath): \(error.localizedDescription)")
        }
        guard let server = RecordedRun.endpoint(report.server) else {
            throw LabError.usage("the recorded run \(jsonPath) names no server address (\"\(report.server)\")")
        }
        let capture = try PcapFile.read(path: pcapPath)
        self.report = report
        self.jsonPath = jsonPath
        self.pcapPath = pcapPath
        context = RecordedContext(server: server, clients: report.clients)
        observation = RecordedRun.observation(report, capture: capture, port: server.port)
    }

    /// Where a recording's JSON does not fit a run report, in a line: the field's path and what was wrong.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The observation a live run of `report` had, with the segments re-decoded from `capture`.
    public static func observation(_ report: RunReport, capture: PcapFile, port: UInt16) -> Observation {
        var observation = Observation()
        for frame in capture.frames {
            // The same test the live capture applies to each frame before logging it.
            guard case .tcp(let segment)? = try? PacketDecoder.decode(frame.bytes, linkType: capture.linkType),
                  segment.sourcePort == port || segment.destinationPort == port
            else { continue }
            observation.segments.append(
                CapturedSegment(number: observation.segments.count + 1, time: frame.time, segment: segment))
        }
        observation.steps = report.steps
        observation.ends = report.ends
        observation.notes = report.notes
        observation.pids = report.pids ?? [:]
        observation.capture = report.capture
        observation.snapshots = report.snapshots.map(socketSnapshot)
        observation.synBackoff = report.synBackoff
        observation.labCalls = report.labCalls ?? []
        observation.censuses = report.censuses ?? []
        observation.waitReadings = report.waitReadings ?? []
        observation.inputDrops = report.inputDrops ?? []
        observation.senderRoundTrip = report.senderRoundTrip
        return observation
    }

    /// A recorded socket snapshot as the table the live run read from /proc.
    static func socketSnapshot(_ snapshot: RunReport.Snapshot) -> SocketSnapshot {
        var entries: [SocketEntry] = []
        var owners: [UInt64: [SocketOwner]] = [:]
        for row in snapshot.sockets {
            let local = endpoint(row.local), remote = endpoint(row.remote)
            let family: IPFamily = (local?.address.isIPv6 ?? false) ? .ipv6 : .ipv4
            let unspecified: IPAddress = family == .ipv6 ? .v6(Array(repeating: 0, count: 16)) : .v4(0, 0, 0, 0)
            let entry = SocketEntry(
                family: family, localAddress: local?.address ?? unspecified, localPort: local?.port ?? 0,
                remoteAddress: remote?.address ?? unspecified, remotePort: remote?.port ?? 0,
                state: TCPState.allCases.first { $0.name == row.state } ?? .close,
                sendQueue: row.sendQueue, receiveQueue: row.receiveQueue,
                timer: row.kernelTimer ?? SocketTimer(kind: .none, expiresInHundredths: 0, retransmits: 0, probes: 0),
                uid: row.uid ?? 0, inode: row.inode ?? 0)
            entries.append(entry)
            if let holders = row.owners, !holders.isEmpty, entry.inode != 0 { owners[entry.inode] = holders }
        }
        return SocketSnapshot(time: snapshot.time, id: snapshot.at, moment: snapshot.moment,
                              table: SocketTable(entries: entries, owners: owners),
                              labels: snapshot.sockets.map { $0.role ?? "" })
    }

    /// Parses an endpoint as the report writes it: `127.0.0.1:7777`, `[::1]:7777`, `0.0.0.0:*`.
    public static func endpoint(_ text: String) -> SocketAddress? {
        let host: Substring, port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            port = text[close...].dropFirst(2)
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            return nil
        }
        guard let address = IPAddress(String(host)) ?? mappedV4(host) else { return nil }
        if port == "*" { return SocketAddress(address: address, port: 0) }
        guard let number = UInt16(port) else { return nil }
        return SocketAddress(address: address, port: number)
    }

    /// `::ffff:127.0.0.1`, as ss prints an IPv4-mapped IPv6 address.
    private static func mappedV4(_ host: Substring) -> IPAddress? {
        guard host.lowercased().hasPrefix("::ffff:"), case .v4(let a, let b, let c, let d)? = IPAddress(String(host.dropFirst(7)))
        else { return nil }
        return .v6(Array(repeating: 0, count: 10) + [0xff, 0xff, a, b, c, d])
    }
}
