import CSignalIO
import Glibc

/// The signal-driven model: a SIGIO handler, the socket's owner set to this process
/// (fcntl F_SETOWN) and O_ASYNC set on it (with O_NONBLOCK, so the handler's recv() never
/// sleeps); then the main loop does other work. When data arrives the kernel sends SIGIO
/// (fcntl(2), "Signal-driven I/O"); the handler records the time and calls recv(). The handler
/// is C (`CSignalIO`): only async-signal-safe calls may run in it.
struct SignalDrivenWait {
    let connection: RoleSocket
    let reporter: RoleReporter

    func receive() -> CallOutcome {
        let fd = connection.fd
        if let error = reporter.call("sigaction", "sigaction(SIGIO, handler that calls recv())", { .raw(tcplab_sigio_install(fd)) }).errno {
            RoleEnvironment.fail(reporter, "sigaction(SIGIO): \(error)")
        }
        if let error = reporter.call("fcntl", "fcntl(F_SETOWN, \(getpid()))", { .raw(fcntl(fd, F_SETOWN, getpid())) }).errno {
            RoleEnvironment.fail(reporter, "fcntl(F_SETOWN): \(error)")
        }
        if let error = connection.addStatusFlags(O_ASYNC | O_NONBLOCK, name: "O_ASYNC | O_NONBLOCK").errno {
            RoleEnvironment.fail(reporter, "fcntl(O_ASYNC): \(error)")
        }
        reporter.note(IOModelCall.waiting, "does other work (1 ms units) until SIGIO")
        var work = WorkUnits()
        let deadline = WallClock.nowMicroseconds() + IOModelServer.giveUpAfterMicroseconds
        var record = tcplab_sigio_record()
        while WallClock.nowMicroseconds() < deadline {
            guard tcplab_sigio_take(&record) == 1 else {
                work.doOne()
                continue
            }
            reporter.note(IOModelCall.work, "main loop: \(work.count) units of other work done so far", at: WallClock.nowMicroseconds(),
                          value: work.count)
            reporter.note(IOModelCall.sigio, "SIGIO received (\(record.signals) signal\(record.signals == 1 ? "" : "s")): the handler runs", at: record.signal_time)
            let outcome = Self.outcome(of: record)
            reporter.called("recv", "handler: recv()", began: record.recv_began, ended: record.recv_ended, outcome)
            if outcome.errno != .wouldBlock { return outcome }
        }
        reporter.note(IOModelCall.work, "main loop: \(work.count) units of other work, and no SIGIO in 10 s", at: WallClock.nowMicroseconds(),
                      value: work.count)
        return CallOutcome(returnValue: -1, errno: .wouldBlock)
    }

    private static func outcome(of record: tcplab_sigio_record) -> CallOutcome {
        guard record.result > 0 else {
            return CallOutcome(returnValue: Int(record.result), errno: record.result < 0 ? Errno(rawValue: record.error) : nil)
        }
        let bytes = withUnsafeBytes(of: record.data) { Array($0.prefix(Int(record.result))) }
        return CallOutcome(returnValue: Int(record.result), errno: nil, data: String(decoding: bytes, as: UTF8.self))
    }
}
