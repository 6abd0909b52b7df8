extension Refused {
    /// The refused claims, judged from the snapshot, the capture and the client's steps and end.
    /// Both claims of absence (no listener, no SYN-ACK) need a capture that missed nothing: a
    /// listener that appeared after the table was read would show only as a SYN-ACK.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let client = observation.steps(of: "client").filter { !$0.isNote }
        let connect = client.first { $0.call == "connect" }
        let syn = observation.segments.first { $0.segment.flags == .syn }
        let port = syn?.segment.destinationPort
        return [
            Claim.check("nobody-listens", "nobody listened on the port: no socket held it before the connect, and nothing accepted the SYN", {
                if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
                guard let snapshot = observation.sockets(at: Moment.beforeConnect) else {
                    return .failure(Unseen("no socket snapshot before the connect"))
                }
                guard snapshot.table.entries.isEmpty else { return .failure(Unseen(snapshot.summary)) }
                if let synAck = observation.segments.first(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.syn) }) {
                    return .failure(Unseen("the port answered with [\(synAck.segment.flags.tcpdumpNotation)] #\(synAck.number): something listened"))
                }
                return .success("/proc/net/tcp and tcp6: no sockets on the port; no SYN-ACK from it in the capture")
            }()),
            Claim.check("syn-answered-by-rst", "the client's SYN was answered by RST-ACK from the port, not by SYN-ACK", {
                guard let syn, let port else { return .failure(Unseen("no SYN in the capture")) }
                if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
                if let synAck = observation.segments.first(where: { $0.segment.flags == [.syn, .ack] }) {
                    return .failure(Unseen("SYN-ACK #\(synAck.number)"))
                }
                guard let answer = observation.segments.first(where: { $0.number > syn.number && $0.segment.sourcePort == port }) else {
                    return .failure(Unseen("nothing answered SYN #\(syn.number)"))
                }
                let flags = answer.segment.flags.tcpdumpNotation
                guard answer.segment.flags == [.rst, .ack], answer.segment.acknowledgmentNumber == syn.segment.sequenceNumber &+ 1 else {
                    return .failure(Unseen("#\(answer.number) [\(flags)] ack \(answer.segment.acknowledgmentNumber &- syn.segment.sequenceNumber)"))
                }
                return .success("SYN #\(syn.number) -> [\(flags)] #\(answer.number) from port \(port), acknowledging the SYN (ack = ISN + 1)")
            }()),
            Claim.check("connect-refused", "connect() failed with ECONNREFUSED (\"Connection refused\")", {
                guard let connect else { return .failure(Unseen("the client never called connect()")) }
                guard connect.failure == .connectionRefused else { return .failure(Unseen("client \(connect.display)")) }
                guard let end = observation.end(of: "client"), case .exited = end.termination else {
                    return .failure(Unseen("the client \(observation.end(of: "client").map { "\($0.termination)" } ?? "did not end")"))
                }
                return .success("client \(connect.display); it \(end.termination)")
            }()),
        ]
    }
}
