extension Iterative {
    /// The four claims of the iterative story, each judged from the capture, the steps and the snapshot.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = IterativeEvidence(observation, serverPort: lab.server.port)
        return [evidence.handshakeWithoutAccept(), evidence.dataAckedNotAnswered(), evidence.waitsInAcceptQueue(),
                evidence.servedAfterALeaves()]
    }
}

/// Finds the iterative story's evidence in an observation: which connection is A's and B's comes
/// from the clients' own connect() steps.
struct IterativeEvidence {
    let observation: Observation
    let port: UInt16
    let endpointA: String?
    let endpointB: String?
    let server: [RoleStep]

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        port = serverPort
        endpointA = observation.steps(of: "client A").first { $0.call == "connect" }?.local
        endpointB = observation.steps(of: "client B").first { $0.call == "connect" }?.local
        server = observation.steps(of: "server").filter { !$0.isNote }
    }

    private func port(of endpoint: String?) -> UInt16? { endpoint.flatMap { $0.split(separator: ":").last }.flatMap { UInt16($0) } }
    private var portB: UInt16? { port(of: endpointB) }

    private func fromB(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == portB && s.segment.destinationPort == port }
    private func toB(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == port && s.segment.destinationPort == portB }

    /// A's FIN: the moment A left.
    private var finA: CapturedSegment? {
        guard let portA = port(of: endpointA) else { return nil }
        return observation.segments.first { $0.segment.sourcePort == portA && $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }
    }
    private var acceptB: RoleStep? { server.first { $0.call == "accept" && $0.peer == endpointB && $0.returnValue ?? -1 >= 0 } }

    func handshakeWithoutAccept() -> Claim {
        Claim.check("handshake-without-accept",
                    "client B's three-way handshake completed although the server had called accept() only once (for A)", {
            guard portB != nil else { return .failure(Unseen("client B never connected")) }
            let handshake: ClientHandshake
            do throws(Unseen) { handshake = try ClientHandshake.find(in: observation.segments, of: "client B", fromClient: fromB, toClient: toB) }
            catch { return .failure(error) }
            let ack = handshake.ack
            let acceptsBefore = server.filter { $0.call == "accept" && ($0.ended ?? .max) <= ack.time }
            guard acceptsBefore.count == 1, acceptsBefore[0].peer == endpointA else {
                return .failure(Unseen("when B's handshake completed (#\(ack.number)) the server's accepts were: "
                                       + acceptsBefore.map(\.display).joined(separator: ", ")))
            }
            guard let accepted = acceptB else { return .failure(Unseen("the server never accepted client B")) }
            guard (accepted.ended ?? 0) > ack.time else {
                return .failure(Unseen("the server's accept() returned B before B's handshake ACK #\(ack.number)"))
            }
            return .success("\(handshake.text); the server had one accept() so far, "
                            + "\(acceptsBefore[0].display) for A; B was accepted only later")
        }())
    }

    func dataAckedNotAnswered() -> Claim {
        Claim.check("data-acked-not-answered", "client B's data was ACKed by the server's kernel but not answered while A was connected", {
            guard portB != nil else { return .failure(Unseen("client B never connected")) }
            guard let data = observation.segments.first(where: { fromB($0) && !$0.segment.payload.isEmpty }) else {
                return .failure(Unseen("client B sent no data"))
            }
            let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
            guard let ack = observation.segments.first(where: {
                toB($0) && $0.number > data.number && $0.segment.flags.contains(.ack) && $0.segment.acknowledgmentNumber == end
            }) else { return .failure(Unseen("no ACK from the server covering B's data #\(data.number)")) }
            guard let fin = finA else { return .failure(Unseen("client A never sent its FIN")) }
            if let early = observation.segments.first(where: { toB($0) && !$0.segment.payload.isEmpty && $0.number < fin.number }) {
                return .failure(Unseen("the server answered B in #\(early.number), before A's FIN #\(fin.number)"))
            }
            guard ack.number < fin.number else {
                return .failure(Unseen("the ACK #\(ack.number) of B's data came only after A's FIN #\(fin.number)"))
            }
            return .success("data #\(data.number) (\(data.segment.payload.count) bytes) -> ACK #\(ack.number) with no data; "
                            + "nothing else to B before A's FIN #\(fin.number)")
        }())
    }

    func waitsInAcceptQueue() -> Claim {
        Claim.check("recv-q-in-accept-queue",
                    "meanwhile B's server-side socket was ESTABLISHED with Recv-Q = the bytes B sent, held by no process (in the accept queue)", {
            guard let endpointB else { return .failure(Unseen("client B never connected")) }
            guard let sent = observation.steps(of: "client B").first(where: { $0.call == "send" }), let bytes = sent.returnValue, bytes > 0 else {
                return .failure(Unseen("client B's send() did not succeed"))
            }
            guard let snapshot = observation.sockets(at: Iterative.Moment.bInAcceptQueue) else {
                return .failure(Unseen("no socket snapshot while B waited"))
            }
            guard let entry = snapshot.table.entries.first(where: { $0.localPort == port && $0.remote == endpointB }) else {
                return .failure(Unseen("no server-side socket for B in /proc/net/tcp: \(snapshot.summary)"))
            }
            guard entry.state == .established, entry.receiveQueue == UInt32(bytes) else {
                return .failure(Unseen("server side of B \(entry.state.name) Recv-Q \(entry.receiveQueue), B sent \(bytes) bytes"))
            }
            guard entry.inode == 0 else { return .failure(Unseen("server side of B already held by a process (inode \(entry.inode))")) }
            let queue = snapshot.table.entries.first { $0.state == .listen }.map { ", listener Recv-Q (accept queue) \($0.receiveQueue)" } ?? ""
            return .success("/proc/net/tcp: \(entry.local) -> \(entry.remote) ESTABLISHED Recv-Q \(entry.receiveQueue) = "
                            + "\(sent.display), inode 0\(queue)")
        }())
    }

    func servedAfterALeaves() -> Claim {
        Claim.check("served-after-a-leaves", "when A left, the server accepted B and answered: B's answer came only after A's FIN", {
            guard let fin = finA else { return .failure(Unseen("client A never sent its FIN")) }
            guard let accepted = acceptB else { return .failure(Unseen("the server never accepted client B")) }
            guard (accepted.ended ?? 0) >= fin.time else {
                return .failure(Unseen("the server's accept() returned B before A's FIN #\(fin.number)"))
            }
            guard let answer = observation.segments.first(where: { toB($0) && !$0.segment.payload.isEmpty }) else {
                return .failure(Unseen("the server never sent data to B"))
            }
            guard answer.number > fin.number else {
                return .failure(Unseen("the answer #\(answer.number) came before A's FIN #\(fin.number)"))
            }
            let expected = Iterative.lineB.uppercased()
            guard let reply = observation.steps(of: "client B").first(where: { $0.call == "recv" }), reply.data == expected else {
                return .failure(Unseen("client B's recv() got \(observation.steps(of: "client B").first { $0.call == "recv" }?.display ?? "nothing")"))
            }
            return .success("A's FIN #\(fin.number), then server \(accepted.display) for B, answer #\(answer.number); client B \(reply.display)")
        }())
    }
}
