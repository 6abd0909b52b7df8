import Glibc

/// The non-blocking model: O_NONBLOCK on the socket, then recv() in a loop. While no data is
/// there each call returns at once with EAGAIN, and the process keeps the CPU busy asking.
///
/// The first recv() is reported as a step; the following EAGAINs, thousands of them, are
/// counted and reported as one note at the time of the last (`IOModelCall.eagainLoop`); the
/// recv() that finally returns data is reported with the times measured around it.
struct NonBlockingWait {
    let connection: RoleSocket
    let reporter: RoleReporter

    func receive() -> CallOutcome {
        if let error = connection.addStatusFlags(O_NONBLOCK, name: "O_NONBLOCK").errno {
            RoleEnvironment.fail(reporter, "fcntl(O_NONBLOCK): \(error)")
        }
        reporter.note(IOModelCall.waiting, "asks recv() again and again until data is there")
        let first = connection.receive(capacity: IOModelServer.readSize)
        guard first.errno == .wouldBlock else { return first }
        var eagains = 0
        var lastEAGAIN = WallClock.nowMicroseconds()
        let deadline = lastEAGAIN + IOModelServer.giveUpAfterMicroseconds
        var buffer = [UInt8](repeating: 0, count: IOModelServer.readSize)
        while true {
            let began = WallClock.nowMicroseconds()
            let count = recv(connection.fd, &buffer, buffer.count, 0)
            let failure = count < 0 ? Errno.current : nil
            let ended = WallClock.nowMicroseconds()
            if failure == .wouldBlock, ended < deadline {
                eagains += 1
                lastEAGAIN = ended
                continue
            }
            if eagains > 0 {
                reporter.note(IOModelCall.eagainLoop, "recv() = -1 EAGAIN ×\(eagains) more, back to back", at: lastEAGAIN,
                              value: eagains, errno: .wouldBlock)
            }
            let data = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
            let outcome = CallOutcome(returnValue: count, errno: failure, data: data)
            reporter.called("recv", "recv()", began: began, ended: ended, outcome)
            return outcome
        }
    }
}
