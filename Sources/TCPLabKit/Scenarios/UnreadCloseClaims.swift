import Glibc

extension UnreadClose {
    /// The claims of the chosen variant, each judged from the capture, the steps and the snapshots.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = CloseEvidence(observation, serverPort: lab.server.port)
        if variant == .lingerZero {
            return [evidence.nothingUnread(), evidence.lingerSet(), evidence.resetInsteadOfFin(), evidence.receiveFailsWithReset(),
                    evidence.noTimeWait()]
        }
        return [evidence.bytesUnread(), evidence.resetInsteadOfFin(), evidence.receiveFailsWithReset(), evidence.noTimeWait()]
    }
}

/// The unread-close claims.
extension CloseEvidence {
    typealias AbortMoment = UnreadClose.Moment

    func bytesUnread() -> Claim {
        Claim.check("bytes-unread", "when the server closed, the client's 5 bytes were still unread in its receive buffer", {
            guard let snapshot = snapshot(AbortMoment.beforeClose), let entry = serverSide(snapshot) else {
                return .failure(Unseen("no snapshot of the server's connection before close()"))
            }
            guard entry.receiveQueue == 5 else { return .failure(Unseen("server Recv-Q \(entry.receiveQueue)")) }
            if let read = server.first(where: { $0.call == "recv" }) { return .failure(Unseen("the server called \(read.display)")) }
            return .success("/proc/net/tcp: server \(entry.state.name) Recv-Q 5; the server made no recv()")
        }())
    }

    func nothingUnread() -> Claim {
        Claim.check("nothing-unread", "the server had read everything before it closed: the RST comes from SO_LINGER alone", {
            guard let snapshot = snapshot(AbortMoment.beforeClose), let entry = serverSide(snapshot) else {
                return .failure(Unseen("no snapshot of the server's connection before close()"))
            }
            guard entry.receiveQueue == 0 else { return .failure(Unseen("server Recv-Q \(entry.receiveQueue)")) }
            let read = server.first { $0.call == "recv" }
            return .success("/proc/net/tcp: server \(entry.state.name) Recv-Q 0" + (read.map { "; server \($0.display)" } ?? ""))
        }())
    }

    func lingerSet() -> Claim {
        Claim.check("linger-set", "the server set SO_LINGER {on, 0} before its close()", {
            guard let option = server.first(where: { $0.call == "setsockopt" && $0.text.contains("SO_LINGER") }) else {
                return .failure(Unseen("the server never set SO_LINGER"))
            }
            guard option.returnValue == 0 else { return .failure(Unseen("server \(option.display)")) }
            return .success("server \(option.display)")
        }())
    }

    func resetInsteadOfFin() -> Claim {
        Claim.check("rst-not-fin", "the server's close() sent an RST (flags R.), not a FIN: an abortive close", {
            guard let close = server.first(where: { $0.call == "close" }) else { return .failure(Unseen("the server never called close()")) }
            let after = observation.segments.filter { isFrom(server: true, $0) && $0.time >= close.began }
            guard let reset = after.first(where: { $0.segment.flags.contains(.rst) }) else {
                return .failure(Unseen("after close(): " + (after.map { "#\($0.number) [\($0.segment.flags.tcpdumpNotation)]" }
                    .joined(separator: ", ").nonEmpty ?? "no segment from the server")))
            }
            let flags = reset.segment.flags.tcpdumpNotation
            guard flags == "R." else { return .failure(Unseen("#\(reset.number) [\(flags)]")) }
            if let fin = fin(fromServer: true) { return .failure(Unseen("FIN #\(fin.number) from the server")) }
            // "No FIN" is an absence: a capture with drops cannot show it.
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            return .success("server \(close.display), then #\(reset.number) [\(flags)]; no FIN from the server")
        }())
    }

    func receiveFailsWithReset() -> Claim {
        Claim.check("recv-econnreset", "the client's next recv() failed with ECONNRESET", {
            guard let reset = observation.segments.first(where: { isFrom(server: true, $0) && $0.segment.flags.contains(.rst) }) else {
                return .failure(Unseen("no RST from the server"))
            }
            guard let read = client.first(where: { $0.call == "recv" && $0.began > reset.time }) else {
                return .failure(Unseen("no client recv() after RST #\(reset.number)"))
            }
            guard read.failure == .connectionReset else { return .failure(Unseen("client \(read.display)")) }
            return .success("client \(read.display)")
        }())
    }

    func noTimeWait() -> Claim {
        Claim.check("no-time-wait", "no TIME_WAIT on either side: an RST ends the connection at once", {
            guard let snapshot = snapshot(AbortMoment.afterClose) else { return .failure(Unseen("no snapshot after the server's close()")) }
            let connection = snapshot.table.entries.filter { $0.state != .listen }
            guard connection.isEmpty else { return .failure(Unseen(snapshot.summary)) }
            return .success("/proc/net/tcp after the server's close(): only " + (snapshot.table.entries.map { "\($0.local) \($0.state.name)" }
                .joined(separator: ", ").nonEmpty ?? "nothing") + " on the port")
        }())
    }
}
