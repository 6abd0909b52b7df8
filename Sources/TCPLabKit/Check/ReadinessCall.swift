/// The system call a multiplexing server of a concurrency variant waits in for its clients:
/// select(2) (or pselect6), poll(2) (or ppoll), epoll_wait(2) (or epoll_pwait, epoll_pwait2),
/// as strace(1) names them (`StraceTrace.readinessCalls`). Python's `selectors.DefaultSelector`
/// and asyncio's loop use epoll on Linux.
enum ReadinessCall: Sendable, CaseIterable {
    case select, poll, epoll

    init?(_ variant: Concurrency.Variant) {
        switch variant {
        case .select: self = .select
        case .poll: self = .poll
        case .epoll, .epollET: self = .epoll
        default: return nil
        }
    }

    /// strace's names for the call, the plain one first.
    var calls: [String] {
        switch self {
        case .select: ["select", "pselect6"]
        case .poll: ["poll", "ppoll"]
        case .epoll: ["epoll_wait", "epoll_pwait", "epoll_pwait2"]
        }
    }

    /// `epoll_wait()/epoll_pwait()`, for claims.
    var names: String { calls.prefix(2).map { "\($0)()" }.joined(separator: "/") }

    /// Every readiness call's strace name, whichever kind.
    static let allCalls: Set<String> = Set(allCases.flatMap(\.calls))
}

extension ConcurrencyServerEvidence {
    /// From the server's traced calls (its own and its threads' and children's).
    func waitsIn(_ readiness: ReadinessCall) -> Claim {
        Claim.check("waits-in-\(readiness.calls[0])", "the server waited for its clients in \(readiness.names), as a \(readiness) server does (its calls, traced by strace)", {
            let calls = ProgramEvidence(observation, .server).calls
            let waits = calls.filter { readiness.calls.contains($0.call) }
            guard let first = waits.first else {
                let others = Dictionary(grouping: calls.filter { ReadinessCall.allCalls.contains($0.call) }, by: \.call)
                    .sorted { $0.key < $1.key }.map { "\($0.key)() ×\($0.value.count)" }
                let seen = others.isEmpty
                    ? "none of select, poll or epoll_wait: it waited in its \(calls.filter { $0.call == "accept" || $0.call == "recv" }.isEmpty ? "other calls" : "accept()/recv() calls")"
                    : others.joined(separator: ", ")
                return .failure(Unseen("no \(readiness.names) among its \(calls.count) traced calls; \(seen)"))
            }
            return .success("\(waits.count) \(readiness.names) calls, the first \(first.display) by \(first.role)")
        }())
    }
}
