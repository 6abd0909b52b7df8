import Glibc

/// Why a student's program could not take its role at all: it did not start, ended first, did not
/// listen (or connect) in time, or listens somewhere else. `tcplab check` prints it as one line
/// and exits 2, instead of a list of failed claims.
public struct StudentStartFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension LabRun {
    /// Starts the capture on the run's server port, then `program` as the server, and waits up to
    /// `seconds` for a LISTEN socket on that port in /proc/net/tcp(6) (any address: 0.0.0.0 and
    /// 127.0.0.1 both reach it). A neutral wait: where it listens is not what the claims judge.
    /// Throws `StudentStartFailure` when the program ends first, when it listens on another port,
    /// or when nothing listens in time.
    public func startStudentServer(_ program: StudentProgram, within seconds: Double) throws -> StudentRole {
        try startCapture(port: server.port)
        let student = try spawnStudent(program, as: .server)
        let port = server.port
        var polls = 0
        var elsewhere: String?
        let listening = try? log.poll(for: "your program to listen on \(server.description)", timeout: seconds, interval: 0.01) {
            () -> Bool? in
            // Under the log's lock: the role's end is seen in /proc (reaped), not in the log.
            if ProcessTable.hasExited(student.process.pid) { return false }
            let table = try? SocketTable.read(port: port, owners: false)
            if table?.entries.contains(where: { $0.state == .listen && $0.localPort == port }) == true { return true }
            // Every quarter second (the owners' scan reads every /proc/PID/fd): listening elsewhere already?
            polls += 1
            if polls % 25 == 0, let other = Self.listener(of: student) {
                // It may have begun to listen on the port since the table above was read.
                if other.localPort == port { return true }
                elsewhere = other.local
                return false
            }
            return nil
        }
        if listening == true { return recordProgram(student) }
        if let elsewhere {
            throw StudentStartFailure(description: "your program listens on \(elsewhere), not on \(server.description): "
                + "read TCPLAB_HOST and TCPLAB_PORT (or listen on port \(port))")
        }
        throw failure(student, listening == false ? "before listening on \(server.description)" : nil, seconds: seconds)
    }

    /// A LISTEN socket the program (or a process it started) holds, if any.
    static func listener(of student: StudentRole) -> SocketEntry? {
        guard let pid = student.programPID else { return nil }
        let mine = Set([pid] + ProcessTable.descendants(of: pid).map(\.pid))
        guard let table = try? SocketTable.read() else { return nil }
        return table.entries.first { entry in
            entry.state == .listen && table.owners(of: entry).contains { mine.contains($0.pid) }
        }
    }

    /// Starts `program` as the client (the lab's server must already listen) and waits up to
    /// `seconds` for its SYN to the server's port in the capture (a client that ends at once is
    /// given half a second more for its SYN to come out of the capture). Throws
    /// `StudentStartFailure` when it ends without a SYN or sends none in time.
    public func startStudentClient(_ program: StudentProgram, within seconds: Double) throws -> StudentRole {
        let student = try spawnStudent(program, as: .client)
        let port = server.port
        let connected = try? log.wait(for: "your program to connect to \(server.description)", timeout: seconds) { observation -> Bool? in
            if observation.segments.contains(where: { $0.segment.destinationPort == port && $0.segment.flags == .syn }) { return true }
            return observation.end(of: CheckRole.client.label) != nil ? false : nil
        }
        if connected == true { return recordProgram(student) }
        // A client refused at once may end before the capture has handed over its SYN.
        if connected == false, (try? log.wait(for: "your program's SYN", timeout: 0.5) { observation -> Bool? in
            observation.segments.contains { $0.segment.destinationPort == port && $0.segment.flags == .syn } ? true : nil
        }) == true { return recordProgram(student) }
        throw failure(student, connected == false ? "before connecting to \(server.description)" : nil, seconds: seconds)
    }

    /// Keeps the program's own pid in the observation (`Observation.program(_:)`).
    private func recordProgram(_ student: StudentRole) -> StudentRole {
        if let pid = student.programPID { log.record { $0.pids[student.role.programKey] = pid } }
        return student
    }

    /// The one line for a program that did not take its role: `ended` says what it ended before
    /// (nil: it was still running when the time ran out).
    private func failure(_ student: StudentRole, _ ended: String?, seconds: Double) -> StudentStartFailure {
        let role = student.role
        // Its end is published once its pipes are read to their end: the last line it wrote is then in too.
        if ended != nil { _ = try? log.wait(for: "your program's end", timeout: 1) { $0.end(of: role.label) } }
        let observation = log.snapshot
        let lastLine = observation.steps(of: role.label).last { $0.call == RoleStep.standardErrorCall }
            .map { " (its last line: \($0.printedLine))" } ?? ""
        if let ended, let end = observation.end(of: role.label) {
            return StudentStartFailure(description: "your program \(end.termination) \(ended)\(lastLine)")
        }
        let wanted = role == .server ? "listen on \(server.description)" : "connect to \(server.description)"
        let elsewhere = role == .server ? Self.listener(of: student).map { "; it listens on \($0.local) instead (read TCPLAB_HOST and TCPLAB_PORT)" } ?? "" : ""
        return StudentStartFailure(
            description: "your program did not \(wanted) within \(PauseMark.seconds(seconds))\(elsewhere)\(lastLine)")
    }
}
