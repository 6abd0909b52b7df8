import CPcap
import Glibc

extension BrokenPipe {
    /// The claims of the chosen variant, each judged from the capture, the roles' steps and their ends.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = BrokenPipeEvidence(observation, serverPort: lab.server.port)
        var claims = [evidence.replyAcknowledged(), evidence.finAfterClose(), evidence.halfClosedStates()]
        switch behaviour {
        case .readFirst:
            claims += [evidence.eofReadBeforeSending(), evidence.noReset(), evidence.cleanClose(), evidence.exitedNormally()]
        case .plain:
            claims += [evidence.resetAfterClose(), evidence.receiveSeesEOF(), evidence.killedBySigpipe()]
        case .ignoreSigpipe, .noSignal:
            claims += [evidence.resetAfterClose(), evidence.receiveSeesEOF(), evidence.sendFailsWithEPIPE(nosignal: behaviour == .noSignal),
                       evidence.exitedNormally()]
        }
        return claims
    }
}

/// Finds the broken-pipe story's evidence in an observation.
struct BrokenPipeEvidence {
    let observation: Observation
    let port: UInt16
    let client: [RoleStep]
    let server: [RoleStep]

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        port = serverPort
        client = observation.steps(of: "client").filter { !$0.isNote }
        server = observation.steps(of: "server").filter { !$0.isNote }
    }

    private func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == port }
    private func toServer(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == port }
    private func clientSend(_ text: String) -> RoleStep? { client.first { $0.call == "send" && $0.data == text } }
    private func dataSegment(_ text: String) -> CapturedSegment? {
        observation.segments.first { toServer($0) && $0.segment.payload == Array(text.utf8) }
    }

    func replyAcknowledged() -> Claim {
        Claim.check("reply-acked", "the reply HAHA came back, and the server's ACK advanced by exactly the 4 bytes of haha", {
            guard let haha = dataSegment("haha") else { return .failure(Unseen("no segment carried haha")) }
            let expected = haha.segment.sequenceNumber &+ 4
            guard let ack = observation.segments.first(where: {
                fromServer($0) && $0.number > haha.number && $0.segment.flags.contains(.ack)
            }) else { return .failure(Unseen("no segment from the server after haha (#\(haha.number))")) }
            guard ack.segment.acknowledgmentNumber == expected else {
                return .failure(Unseen("#\(ack.number) acknowledged \(ack.segment.acknowledgmentNumber &- haha.segment.sequenceNumber) bytes, not 4"))
            }
            guard let reply = client.first(where: { $0.call == "recv" }), reply.data == "HAHA" else {
                return .failure(Unseen("the client's first recv() got \(client.first { $0.call == "recv" }?.display ?? "nothing")"))
            }
            return .success("#\(haha.number) -> #\(ack.number); client \(reply.display)")
        }())
    }

    func finAfterClose() -> Claim {
        Claim.check("fin-after-close", "the server's FIN followed its close()", {
            guard let close = server.first(where: { $0.call == "close" }) else { return .failure(Unseen("the server never called close()")) }
            guard let fin = observation.segments.first(where: { fromServer($0) && $0.segment.flags.contains(.fin) }) else {
                return .failure(Unseen("no FIN from the server"))
            }
            guard fin.time >= close.began else { return .failure(Unseen("FIN #\(fin.number) came before close()")) }
            return .success("close() then FIN #\(fin.number)")
        }())
    }

    func halfClosedStates() -> Claim {
        Claim.check("half-closed-states", "after the server's close, its side is FIN_WAIT2 and the client's CLOSE_WAIT", {
            guard let snapshot = observation.sockets(at: BrokenPipe.Moment.afterServerClose) else {
                return .failure(Unseen("no socket snapshot after the server's close"))
            }
            let serverSide = snapshot.table.entries.first { $0.localPort == port && $0.state != .listen }
            let clientSide = snapshot.table.entries.first { $0.remotePort == port }
            guard serverSide?.state == .finWait2, clientSide?.state == .closeWait else {
                return .failure(Unseen("server \(serverSide?.state.name ?? "gone"), client \(clientSide?.state.name ?? "gone")"))
            }
            return .success("/proc/net/tcp: server FIN_WAIT2, client CLOSE_WAIT")
        }())
    }

    func resetAfterClose() -> Claim {
        Claim.check("rst-after-close", "the second send (hehe) succeeded, and the server's kernel answered it with an RST", {
            guard let send = clientSend("hehe") else { return .failure(Unseen("the client never sent hehe")) }
            guard send.returnValue == 4 else { return .failure(Unseen("send(\"hehe\") returned \(send.display)")) }
            guard let hehe = dataSegment("hehe") else { return .failure(Unseen("no segment carried hehe")) }
            // The server's answer to hehe is its first segment after it; an RST later on (the
            // lab stopping a server that still held the socket) is not that answer.
            guard let reset = observation.segments.first(where: { fromServer($0) && $0.number > hehe.number }) else {
                return .failure(Unseen("no segment from the server after hehe (#\(hehe.number))"))
            }
            guard reset.segment.flags.contains(.rst) else {
                return .failure(Unseen("no RST from the server after hehe (#\(hehe.number)): it answered with "
                    + "[\(reset.segment.flags.tcpdumpNotation)] #\(reset.number), so its socket was still open"))
            }
            let serverCalls = server.filter { $0.began > hehe.time && $0.call != "accept" }
            guard serverCalls.isEmpty else {
                return .failure(Unseen("the server process itself called \(serverCalls[0].display) after hehe"))
            }
            return .success("hehe #\(hehe.number) -> RST #\(reset.number), sent by the kernel: the server process made no call")
        }())
    }

    func receiveSeesEOF() -> Claim {
        Claim.check("recv-eof", "the recv() after hehe returned 0 (EOF): \"other side has closed\"", {
            guard let send = clientSend("hehe") else { return .failure(Unseen("the client never sent hehe")) }
            guard let receive = client.first(where: { $0.call == "recv" && $0.began > send.began }) else {
                return .failure(Unseen("no recv() after send(\"hehe\")"))
            }
            guard receive.returnValue == 0 else { return .failure(Unseen(receive.display)) }
            return .success("client \(receive.display)")
        }())
    }

    func killedBySigpipe() -> Claim {
        Claim.check("sigpipe-kills", "the third send (wawa) raised SIGPIPE and its default action killed the client", {
            guard let end = observation.end(of: "client") else { return .failure(Unseen("the client did not end")) }
            guard end.termination == .signaled(SIGPIPE) else { return .failure(Unseen("the client \(end.termination)")) }
            guard let send = client.last(where: { $0.call == "send" }), send.data == "wawa", send.killedBy != nil else {
                return .failure(Unseen("the client died outside send(\"wawa\")"))
            }
            return .success("client \(send.display)")
        }())
    }

    func sendFailsWithEPIPE(nosignal: Bool) -> Claim {
        let statement = nosignal
            ? "send(\"wawa\", MSG_NOSIGNAL) failed with EPIPE and raised no signal"
            : "with SIGPIPE ignored, send(\"wawa\") failed with EPIPE instead of killing the client"
        return Claim.check(nosignal ? "msg-nosignal-epipe" : "sigpipe-ignored-epipe", statement, {
            guard let send = clientSend("wawa") else { return .failure(Unseen("the client never sent wawa")) }
            guard send.failure == .brokenPipe else { return .failure(Unseen(send.display)) }
            return .success("client \(send.display)")
        }())
    }

    func exitedNormally() -> Claim {
        Claim.check("client-exits", "the client was not killed: it exited normally with status 0", {
            guard let end = observation.end(of: "client") else { return .failure(Unseen("the client did not end")) }
            guard end.termination == .exited(0) else { return .failure(Unseen("the client \(end.termination)")) }
            let printed = observation.steps(of: "client").last { $0.call == "print" }?.text
            return .success("client \(end.termination)" + (printed.map { " after printing \"\($0)\"" } ?? ""))
        }())
    }

    func eofReadBeforeSending() -> Claim {
        Claim.check("eof-before-send", "the client read the EOF (recv() = 0) before sending again, so hehe was never sent", {
            guard let eof = client.first(where: { $0.call == "recv" && $0.returnValue == 0 }) else {
                return .failure(Unseen("no recv() returned 0"))
            }
            if let send = clientSend("hehe") { return .failure(Unseen("client \(send.display)")) }
            return .success("client \(eof.display)")
        }())
    }

    func noReset() -> Claim {
        Claim.check("no-rst", "no RST anywhere in the capture", {
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            if let reset = observation.segments.first(where: { $0.segment.flags.contains(.rst) }) {
                return .failure(Unseen("RST #\(reset.number)"))
            }
            return .success("\(observation.segments.count) segments, none with R")
        }())
    }

    func cleanClose() -> Claim {
        Claim.check("clean-close", "both sides closed cleanly: the client's FIN was ACKed and the server side went to TIME_WAIT", {
            guard let fin = observation.segments.first(where: { toServer($0) && $0.segment.flags.contains(.fin) }) else {
                return .failure(Unseen("no FIN from the client"))
            }
            guard let ack = observation.segments.first(where: {
                fromServer($0) && $0.number > fin.number && $0.segment.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }) else { return .failure(Unseen("the client's FIN #\(fin.number) was not ACKed")) }
            guard let snapshot = observation.sockets(at: BrokenPipe.Moment.afterClientClose) else {
                return .failure(Unseen("no socket snapshot after the client's close"))
            }
            guard snapshot.table.entries.contains(where: { $0.localPort == port && $0.state == .timeWait }) else {
                return .failure(Unseen(snapshot.summary))
            }
            return .success("FIN #\(fin.number), ACK #\(ack.number); server side TIME_WAIT")
        }())
    }
}
