import Foundation

extension IOModels {
    /// The claims of the chosen variant, judged from the capture, the server's steps and its
    /// /proc readings.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = IOModelsEvidence(facts: IOModelsFacts(observation, serverPort: lab.server.port), message: Self.message)
        var claims: [Claim] = []
        switch variant {
        case .blocking: claims = [evidence.asleep(in: "recv"), evidence.returnsAfterData(call: "recv")]
        case .nonblocking: claims = [evidence.eagainUntilData(), evidence.burningCPU()]
        case .multiplexing: claims = [evidence.asleep(in: "poll"), evidence.returnsAfterData(call: "poll"), evidence.receiveDoesNotBlock()]
        case .signalDriven: claims = [evidence.asyncSetUp(), evidence.sigioAfterData(), evidence.otherWork(until: "SIGIO")]
        case .async: claims = [evidence.submittedBeforeData(), evidence.completionAfterData(), evidence.otherWork(until: "the completion")]
        }
        return claims + [evidence.delivered(async: variant == .async)]
    }
}

/// The io-models claims, computed from `IOModelsFacts`.
struct IOModelsEvidence {
    let facts: IOModelsFacts
    let message: String
    /// At most this much CPU time (2 ticks at 100 Hz) for a process that slept the whole wait.
    static let sleepingCPUMilliseconds = 20
    /// At least this share of the wait's wall-clock time on the CPU for a process that spins.
    static let spinningCPUShare = 0.1
    /// The spinning loop's last EAGAIN came at most this long before the data segment.
    static let spinGapMilliseconds = 100.0

    private var waiting: [ProcessActivity] { facts.waitingReadings }

    private func cpuText(_ readings: [ProcessActivity]) -> String {
        guard let (cpu, wall) = facts.recording?.cpu(over: readings) else { return "no CPU time" }
        return "utime+stime +\(cpu) ms in \(wall) ms"
    }

    /// The readings before the data segment, or why there are too few to judge.
    private func readingsWhileWaiting() -> Result<[ProcessActivity], Unseen> {
        guard facts.data != nil else { return .failure(Unseen("no data segment from the client in the capture")) }
        guard waiting.count >= 2 else { return .failure(Unseen("\(waiting.count) /proc readings of the server before the data segment")) }
        return .success(waiting)
    }

    func asleep(in call: String) -> Claim {
        Claim.check("asleep", "while it waited in \(call)(), the server was asleep in the kernel: state S with a wait channel (wchan), and used ~no CPU time", {
            let readings: [ProcessActivity]
            switch readingsWhileWaiting() {
            case .failure(let unseen): return .failure(unseen)
            case .success(let list): readings = list
            }
            guard readings.allSatisfy({ $0.isAsleep && $0.wchan != "0" }) else {
                return .failure(Unseen("/proc/\(readings[0].pid): \(IOModelsFacts.states(readings))"))
            }
            guard let (cpu, _) = facts.recording?.cpu(over: readings), cpu <= Self.sleepingCPUMilliseconds else {
                return .failure(Unseen("\(IOModelsFacts.states(readings)); \(cpuText(readings))"))
            }
            return .success("/proc/\(readings[0].pid), \(readings.count) readings before the data segment: \(IOModelsFacts.states(readings)); \(cpuText(readings))")
        }())
    }

    func returnsAfterData(call: String) -> Claim {
        Claim.check("returns-after-data", "\(call)() was called before the data came and returned only after the data segment", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            guard let step = facts.steps(call).first else { return .failure(Unseen("no \(call)() step of the server")) }
            guard let ended = step.ended, (step.returnValue ?? 0) > 0 else { return .failure(Unseen("\(step.display)")) }
            guard step.began < data.time, ended > data.time else {
                return .failure(Unseen("\(step.display) began \(facts.relative(step.began)) and returned \(facts.relative(ended))"))
            }
            return .success("\(step.display): called \(facts.relative(step.began)), returned \(facts.relative(ended))")
        }())
    }

    func eagainUntilData() -> Claim {
        Claim.check("eagain", "recv() on the non-blocking socket returned EAGAIN again and again until the data came; the recv() after them returned the data", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            let calls = facts.steps("recv")
            guard let first = calls.first, first.failure == .wouldBlock else {
                return .failure(Unseen("the first recv(): \(calls.first?.display ?? "none")"))
            }
            let loop = facts.steps(IOModelCall.eagainLoop).first
            let count = 1 + (loop?.returnValue ?? 0)
            let lastEAGAIN = loop?.began ?? first.ended ?? first.began
            guard count > 1 else { return .failure(Unseen("one EAGAIN, then \(calls.dropFirst().first?.display ?? "nothing")")) }
            guard let got = calls.last, calls.count >= 2, let ended = got.ended, (got.returnValue ?? 0) > 0, ended > data.time else {
                return .failure(Unseen("\(count) × EAGAIN, then \(calls.count >= 2 ? calls.last!.display : "no other recv()")"))
            }
            guard Double(data.time - lastEAGAIN) / 1000 <= Self.spinGapMilliseconds else {
                return .failure(Unseen("the last of \(count) EAGAINs came \(facts.relative(lastEAGAIN))"))
            }
            return .success("\(count) × recv() = -1 EAGAIN, the first \(facts.relative(first.began)), the last \(facts.relative(lastEAGAIN)); then \(got.display), returned \(facts.relative(ended))")
        }())
    }

    func burningCPU() -> Claim {
        Claim.check("burning-cpu", "while it spun on EAGAIN the server was running (state R) and burning CPU time", {
            let readings: [ProcessActivity]
            switch readingsWhileWaiting() {
            case .failure(let unseen): return .failure(unseen)
            case .success(let list): readings = list
            }
            let running = readings.filter(\.isRunning).count
            guard running * 2 >= readings.count else {
                return .failure(Unseen("/proc/\(readings[0].pid): \(IOModelsFacts.states(readings))"))
            }
            guard let (cpu, wall) = facts.recording?.cpu(over: readings), wall > 0,
                  cpu > 0, Double(cpu) >= Double(wall) * Self.spinningCPUShare
            else { return .failure(Unseen("\(IOModelsFacts.states(readings)); \(cpuText(readings))")) }
            return .success("/proc/\(readings[0].pid), \(readings.count) readings before the data segment: \(IOModelsFacts.states(readings)); \(cpuText(readings)) (\(cpu * 100 / wall)% of a CPU)")
        }())
    }

    func receiveDoesNotBlock() -> Claim {
        Claim.check("recv-no-block", "after poll() said readable, recv() found the data already there and returned it without waiting", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            guard let poll = facts.steps("poll").first, let polled = poll.ended else { return .failure(Unseen("no poll() that returned")) }
            guard let recv = facts.steps("recv").first(where: { $0.began >= polled }), let ended = recv.ended else {
                return .failure(Unseen("no recv() after \(poll.display)"))
            }
            guard recv.began > data.time, recv.data == message else {
                return .failure(Unseen("\(recv.display) called \(facts.relative(recv.began))"))
            }
            return .success("\(recv.display), called \(facts.relative(recv.began)), returned \(ended - recv.began) µs later")
        }())
    }

    func asyncSetUp() -> Claim {
        Claim.check("async-setup", "before the data came, the server made itself the socket's owner (F_SETOWN) and set O_ASYNC, and installed a SIGIO handler", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            let fcntls = facts.steps("fcntl")
            let setup = [facts.steps("sigaction").first, fcntls.first { $0.text.contains("F_SETOWN") }, fcntls.first { $0.text.contains("O_ASYNC") }]
            guard let steps = setup as? [RoleStep] else { return .failure(Unseen("calls made: \(fcntls.map(\.display).joined(separator: ", "))")) }
            for step in steps where step.returnValue != 0 || step.errno != nil || (step.ended ?? .max) > data.time {
                return .failure(Unseen("\(step.display), returned \(facts.relative(step.ended))"))
            }
            return .success(steps.map(\.display).joined(separator: ", ") + ", the last \(facts.relative(steps.last?.ended))")
        }())
    }

    func sigioAfterData() -> Claim {
        Claim.check("sigio-after-data", "SIGIO came after the data segment, and the handler's recv() got the bytes", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            guard let signal = facts.steps(IOModelCall.sigio).first else { return .failure(Unseen("no SIGIO reached the server")) }
            guard signal.began > data.time else { return .failure(Unseen("SIGIO \(facts.relative(signal.began))")) }
            guard let recv = facts.steps("recv").first(where: { $0.began >= signal.began }), recv.data == message else {
                return .failure(Unseen("after SIGIO: \(facts.steps("recv").first { $0.began >= signal.began }?.display ?? "no recv()")"))
            }
            return .success("SIGIO \(facts.relative(signal.began)); \(recv.display)")
        }())
    }

    func otherWork(until what: String) -> Claim {
        Claim.check("other-work", "while the kernel waited for the data, the server did other work: its main loop ran until \(what)", {
            guard let work = facts.steps(IOModelCall.work).first, let units = work.returnValue, units > 0 else {
                return .failure(Unseen("units of other work done: \(facts.steps(IOModelCall.work).first?.returnValue ?? 0)"))
            }
            let readings = waiting
            guard let (cpu, _) = facts.recording?.cpu(over: readings), cpu > 0 else {
                return .failure(Unseen("\(units) units reported, but /proc shows \(IOModelsFacts.states(readings)); \(cpuText(readings))"))
            }
            return .success("\(units) units of 1 ms work before it saw \(what); /proc: \(IOModelsFacts.states(readings)); \(cpuText(readings))")
        }())
    }

    func submittedBeforeData() -> Claim {
        Claim.check("submitted-before-data", "the read was submitted to io_uring before the data came", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            guard let submit = facts.steps(IOModelCall.submit).first, let ended = submit.ended, submit.returnValue == 1 else {
                return .failure(Unseen(facts.steps(IOModelCall.submit).first?.display ?? "no io_uring_submit()"))
            }
            guard ended < data.time else { return .failure(Unseen("\(submit.display) returned \(facts.relative(ended))")) }
            return .success("\(submit.display), returned \(facts.relative(ended))")
        }())
    }

    func completionAfterData() -> Claim {
        Claim.check("completion-after-data", "the completion came after the data segment, its res the bytes read", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            guard let completion = facts.steps(IOModelCall.completion).first else { return .failure(Unseen("no completion")) }
            guard completion.began > data.time, completion.returnValue == message.utf8.count, completion.data == message else {
                return .failure(Unseen("\(completion.display) \(facts.relative(completion.began))"))
            }
            return .success("\(completion.display) \(facts.relative(completion.began))")
        }())
    }

    func delivered(async: Bool) -> Claim {
        Claim.check("delivered", "the server got the client's \(quoted(message))", {
            let got = async ? facts.steps(IOModelCall.completion).first?.data : facts.receivedData?.data
            guard got == message else { return .failure(Unseen("the server got \(got.map(quoted) ?? "nothing")")) }
            return .success(async ? "the completion carried \(quoted(message))" : facts.receivedData!.display)
        }())
    }
}
