import Glibc

extension CloseStates {
    /// The claims of the chosen variant, each judged from the capture, the steps and the snapshots.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        variant.claims(CloseEvidence(observation, serverPort: lab.server.port))
    }
}

extension CloseStates.Variant {
    /// The claims this variant teaches.
    func claims(_ evidence: CloseEvidence) -> [Claim] {
        switch self {
        case .clientFirst:
            return [evidence.closeSendsFin(fromServer: false), evidence.halfClosedStates(firstServer: false),
                    evidence.readsEOF(), evidence.lastAck(secondServer: true), evidence.timeWaitOnFirstCloser(firstServer: false)]
        case .simultaneous:
            return [evidence.finsCrossed(), evidence.bothClosing(), evidence.bothTimeWait()]
        case .halfClose:
            return [evidence.shutdownSendsFin(), evidence.halfClosedStates(firstServer: false, shutdown: true), evidence.serverAnswersAfterEOF(),
                    evidence.dataAfterFin(), evidence.answerReceived(), evidence.timeWaitOnFirstCloser(firstServer: false)]
        case .listener:
            return [evidence.listening(), evidence.listenerGone(), evidence.listenerSendsNothing()]
        default:
            return [evidence.stopSendsFin(), evidence.halfClosedStates(firstServer: true), evidence.lastAck(secondServer: false),
                    evidence.timeWaitOnFirstCloser(firstServer: true)]
        }
    }
}

/// The close-states claims.
extension CloseEvidence {
    typealias Moment = CloseStates.Moment

    func stopSendsFin() -> Claim {
        Claim.check("server-fin", "stopping the server (SIGINT) closed its socket: its FIN went out and the client's kernel ACKed it, though the client read nothing", {
            guard let end = observation.end(of: "server") else { return .failure(Unseen("the server did not end")) }
            guard end.termination == .signaled(SIGINT) else { return .failure(Unseen("the server \(end.termination)")) }
            guard let fin = fin(fromServer: true) else { return .failure(Unseen("no FIN from the server")) }
            guard let ack = ack(of: fin, fromServer: true) else { return .failure(Unseen("FIN #\(fin.number) was never ACKed")) }
            if let read = client.first(where: { $0.call == "recv" && $0.began > fin.time }) {
                return .failure(Unseen("the client called \(read.display) after the FIN"))
            }
            return .success("server \(end.termination); FIN #\(fin.number), client's ACK #\(ack.number); no recv() by the client")
        }())
    }

    func closeSendsFin(fromServer: Bool) -> Claim {
        let who = name(fromServer)
        return Claim.check("\(who)-fin", "the \(who)'s close() sent a FIN, and the other kernel ACKed it", {
            guard let close = steps(fromServer).first(where: { $0.call == "close" }) else {
                return .failure(Unseen("the \(who) never called close()"))
            }
            guard let fin = fin(fromServer: fromServer) else { return .failure(Unseen("no FIN from the \(who)")) }
            guard fin.time >= close.began else { return .failure(Unseen("FIN #\(fin.number) came before close()")) }
            guard let ack = ack(of: fin, fromServer: fromServer) else { return .failure(Unseen("FIN #\(fin.number) was never ACKed")) }
            return .success("\(who) \(close.display), FIN #\(fin.number), ACK #\(ack.number)")
        }())
    }

    /// After a close() the FIN_WAIT2 socket is orphaned and the kernel runs tcp_fin_timeout on it;
    /// after shutdown(SHUT_WR) the process still holds it, so it has no timer and may wait forever.
    func halfClosedStates(firstServer: Bool, shutdown: Bool = false) -> Claim {
        let first = name(firstServer), second = name(!firstServer)
        let statement = shutdown
            ? "after shutdown(SHUT_WR) the \(first) side waits in FIN_WAIT2 with no timer (its socket is still open) and the \(second) side in CLOSE_WAIT"
            : "the \(first) side, which closed first, waits in FIN_WAIT2 with its timer running and the \(second) side in CLOSE_WAIT"
        return Claim.check("fin-wait2-close-wait", statement, {
            guard let snapshot = snapshot(Moment.firstClosed) else { return .failure(Unseen("no socket snapshot after the first close")) }
            let closer = side(firstServer, in: snapshot), other = side(!firstServer, in: snapshot)
            guard let closer, closer.state == .finWait2, other?.state == .closeWait,
                  (closer.timer.kind == .none) == shutdown
            else { return .failure(Unseen("\(first) \(describe(closer)), \(second) \(describe(other))")) }
            let timer = shutdown ? " (no timer)" : ""
            return .success("/proc/net/tcp: \(first) \(describe(closer))\(timer), \(second) \(describe(other))")
        }())
    }

    func readsEOF() -> Claim {
        Claim.check("server-eof", "the server's recv() after the client's FIN returned 0 (EOF)", {
            guard let fin = fin(fromServer: false) else { return .failure(Unseen("no FIN from the client")) }
            guard let read = server.first(where: { $0.call == "recv" && ($0.ended ?? 0) >= fin.time }) else {
                return .failure(Unseen("no server recv() after FIN #\(fin.number)"))
            }
            guard read.returnValue == 0 else { return .failure(Unseen("server \(read.display)")) }
            return .success("FIN #\(fin.number), then server \(read.display)")
        }())
    }

    func lastAck(secondServer: Bool) -> Claim {
        let who = name(secondServer)
        return Claim.check("last-ack", "the \(who) closed from CLOSE_WAIT: its FIN went out after the peer's, and it waited in LAST_ACK for the final ACK", {
            guard let peerFin = fin(fromServer: !secondServer) else { return .failure(Unseen("no FIN from the \(name(!secondServer))")) }
            guard let ownFin = fin(fromServer: secondServer) else { return .failure(Unseen("no FIN from the \(who)")) }
            guard ownFin.number > peerFin.number, acknowledges(ownFin, peerFin) else {
                return .failure(Unseen("the \(who)'s FIN #\(ownFin.number) does not follow and acknowledge FIN #\(peerFin.number)"))
            }
            // The claim is about a close the program made; a FIN sent because the lab stopped the
            // process (its exit closes its sockets) is not one.
            guard steps(secondServer).contains(where: { $0.call == "close" && $0.began <= ownFin.time }) else {
                return .failure(Unseen("the \(who) made no close() before its FIN #\(ownFin.number): the FIN came from its exit"))
            }
            guard let ack = ack(of: ownFin, fromServer: secondServer) else {
                return .failure(Unseen("the \(who)'s FIN #\(ownFin.number) was never ACKed"))
            }
            return .success("FIN #\(ownFin.number) (acking #\(peerFin.number)), final ACK #\(ack.number) \(ack.time - ownFin.time) µs later")
        }())
    }

    func timeWaitOnFirstCloser(firstServer: Bool) -> Claim {
        let first = name(firstServer), second = name(!firstServer)
        return Claim.check("time-wait-first-closer", "TIME_WAIT is on the side that closed first (the \(first)); the \(second)'s side is gone", {
            guard let snapshot = snapshot(Moment.secondClosed) else { return .failure(Unseen("no socket snapshot after the second close")) }
            let closer = side(firstServer, in: snapshot), other = side(!firstServer, in: snapshot)
            guard closer?.state == .timeWait, other == nil else {
                return .failure(Unseen("\(first) \(describe(closer)), \(second) \(describe(other))"))
            }
            return .success("/proc/net/tcp: \(first) \(describe(closer)), \(second) gone")
        }())
    }

    func finsCrossed() -> Claim {
        Claim.check("fins-crossed", "each side sent its FIN before the other's FIN arrived: neither FIN acknowledges the other", {
            guard let serverFin = fin(fromServer: true), let clientFin = fin(fromServer: false) else {
                return .failure(Unseen("FINs seen: server \(fin(fromServer: true).map { "#\($0.number)" } ?? "none"), "
                    + "client \(fin(fromServer: false).map { "#\($0.number)" } ?? "none")"))
            }
            if acknowledges(serverFin, clientFin) {
                return .failure(Unseen("the server's FIN #\(serverFin.number) acknowledges the client's FIN #\(clientFin.number)"))
            }
            if acknowledges(clientFin, serverFin) {
                return .failure(Unseen("the client's FIN #\(clientFin.number) acknowledges the server's FIN #\(serverFin.number)"))
            }
            return .success("server FIN #\(serverFin.number) at \(milliseconds(serverFin)), client FIN #\(clientFin.number) at "
                + "\(milliseconds(clientFin)), neither acks the other")
        }())
    }

    /// Judged from the capture, which sees each segment as it reaches the other side (after the
    /// delay): a side whose FIN was still unacknowledged when the peer's FIN arrived went from
    /// FIN_WAIT1 to CLOSING. /proc is polled too, but a CLOSING that lasts some tens of ms can fall between
    /// two polls on a busy machine, so what /proc caught is reported as evidence, not required.
    func bothClosing() -> Claim {
        Claim.check("both-closing", "both sides passed CLOSING: each received the other's FIN while its own was unacknowledged", {
            // "No ACK of its FIN before the peer's FIN" is an absence: a capture with drops cannot show it.
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            var passed: [String] = []
            for fromServer in [true, false] {
                let who = name(fromServer)
                guard let own = fin(fromServer: fromServer), let peer = fin(fromServer: !fromServer) else {
                    return .failure(Unseen("the \(who) and its peer did not both send a FIN"))
                }
                guard !acknowledges(own, peer) else { return .failure(Unseen("the \(who)'s FIN #\(own.number) acks #\(peer.number)")) }
                let ownAck = ack(of: own, fromServer: fromServer)
                if let ownAck, ownAck.number < peer.number {
                    return .failure(Unseen("the \(who)'s FIN #\(own.number) was ACKed (#\(ownAck.number)) before the peer's FIN #\(peer.number) arrived"))
                }
                passed.append("\(who): got FIN #\(peer.number) before the ACK of its FIN #\(own.number)"
                    + (ownAck.map { " (#\($0.number))" } ?? ""))
            }
            var caught: [String] = []
            for fromServer in [true, false] where observation.snapshots.contains(where: { side(fromServer, in: $0)?.state == .closing }) {
                caught.append(name(fromServer))
            }
            let proc = caught.isEmpty ? "/proc caught neither in CLOSING (between polls)"
                : "/proc caught CLOSING on " + caught.joined(separator: " and ")
            return .success(passed.joined(separator: "; ") + "; " + proc)
        }())
    }

    func bothTimeWait() -> Claim {
        Claim.check("both-time-wait", "both sides end in TIME_WAIT", {
            guard let snapshot = snapshot(Moment.end) else { return .failure(Unseen("no socket snapshot at the end")) }
            let server = serverSide(snapshot), client = clientSide(snapshot)
            guard server?.state == .timeWait, client?.state == .timeWait else {
                return .failure(Unseen("server \(describe(server)), client \(describe(client))"))
            }
            return .success("/proc/net/tcp: server \(describe(server)), client \(describe(client))")
        }())
    }

    func shutdownSendsFin() -> Claim {
        Claim.check("shutdown-fin", "shutdown(SHUT_WR) after the request sent the client's FIN at once, with the socket still open", {
            guard let shutdown = client.first(where: { $0.call == "shutdown" }) else { return .failure(Unseen("the client never called shutdown()")) }
            guard shutdown.returnValue == 0 else { return .failure(Unseen("client \(shutdown.display)")) }
            guard let fin = fin(fromServer: false), fin.time >= shutdown.began else { return .failure(Unseen("no FIN from the client after shutdown()")) }
            if let close = client.first(where: { $0.call == "close" }), close.began < fin.time {
                return .failure(Unseen("the client called close() before its FIN"))
            }
            return .success("client \(shutdown.display), FIN #\(fin.number)")
        }())
    }

    func serverAnswersAfterEOF() -> Claim {
        Claim.check("answer-after-eof", "the server read the request, then EOF, and could still send its answer", {
            let reads = server.filter { $0.call == "recv" }
            guard reads.count >= 2, reads[0].data == "hello", reads[1].returnValue == 0 else {
                return .failure(Unseen("server " + (reads.map(\.display).joined(separator: ", ").nonEmpty ?? "made no recv()")))
            }
            guard let send = server.first(where: { $0.call == "send" && $0.began > reads[1].began }), send.returnValue == 5 else {
                return .failure(Unseen("no successful send after the EOF"))
            }
            return .success("server \(reads[0].display), \(reads[1].display), \(send.display)")
        }())
    }

    func dataAfterFin() -> Claim {
        Claim.check("data-after-fin", "data flowed from the server to the client after the client's FIN, and the client's kernel ACKed it", {
            guard let fin = fin(fromServer: false) else { return .failure(Unseen("no FIN from the client")) }
            guard let data = observation.segments.first(where: { $0.number > fin.number && isFrom(server: true, $0) && !$0.segment.payload.isEmpty })
            else { return .failure(Unseen("no data from the server after FIN #\(fin.number)")) }
            let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
            guard let ack = observation.segments.first(where: {
                $0.number > data.number && isFrom(server: false, $0) && $0.segment.acknowledgmentNumber == end
            }) else { return .failure(Unseen("data #\(data.number) was never ACKed")) }
            return .success("client FIN #\(fin.number), then server data #\(data.number) (\(data.segment.payload.count) bytes), client's ACK #\(ack.number)")
        }())
    }

    func answerReceived() -> Claim {
        Claim.check("answer-received", "the client received the answer after its own shutdown(SHUT_WR)", {
            guard let shutdown = client.first(where: { $0.call == "shutdown" }) else { return .failure(Unseen("the client never called shutdown()")) }
            guard let read = client.first(where: { $0.call == "recv" && $0.began > shutdown.began }) else {
                return .failure(Unseen("no client recv() after shutdown()"))
            }
            guard read.data == "hello" else { return .failure(Unseen("client \(read.display)")) }
            return .success("client \(shutdown.display), then \(read.display)")
        }())
    }

    func listening() -> Claim {
        Claim.check("listen-seen", "the listening socket is in the table as LISTEN", {
            guard let snapshot = snapshot(Moment.listening) else { return .failure(Unseen("no snapshot while listening")) }
            guard let entry = snapshot.table.entries.first(where: { $0.localPort == port && $0.state == .listen }) else {
                return .failure(Unseen(snapshot.summary))
            }
            return .success("/proc/net/tcp: \(entry.local) LISTEN")
        }())
    }

    func listenerGone() -> Claim {
        Claim.check("listener-gone", "after close() the listener is gone from the table at once: no TIME_WAIT for a socket that had no connection", {
            guard let close = server.first(where: { $0.call == "close" }), close.returnValue == 0 else {
                return .failure(Unseen("the server's close() of the listener did not succeed"))
            }
            guard let snapshot = snapshot(Moment.listenerClosed) else { return .failure(Unseen("no snapshot after close()")) }
            guard snapshot.table.entries.isEmpty else { return .failure(Unseen(snapshot.summary)) }
            return .success("server \(close.display); /proc/net/tcp: no socket on port \(port)")
        }())
    }

    func listenerSendsNothing() -> Claim {
        Claim.check("listener-silent", "closing a listener sends no segment: there is no peer to tell", {
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            guard observation.segments.isEmpty else {
                return .failure(Unseen("\(observation.segments.count) segments, the first [\(observation.segments[0].segment.flags.tcpdumpNotation)]"))
            }
            return .success("the capture on port \(port) is empty")
        }())
    }
}

extension String {
    /// nil for an empty string, for "or else" messages.
    var nonEmpty: String? { isEmpty ? nil : self }
}
