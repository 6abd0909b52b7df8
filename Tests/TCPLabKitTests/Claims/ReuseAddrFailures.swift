import Glibc
@testable import TCPLabKit

/// reuseaddr's claims, each made to fail the way another kernel or a buggy program would.
enum ReuseAddrFailures {
    typealias Moment = ReuseAddr.Moment

    static let all: [ClaimFailure] = ReuseAddr.Variant.allCases.flatMap { variant -> [ClaimFailure] in
        let recording = "reuseaddr-\(variant.rawValue)"
        let succeeds = ReuseAddr(variant: variant).oldReuses && ReuseAddr(variant: variant).newReuses
        return [
            ClaimFailure(recording, "time-wait-holds-port", "no TIME_WAIT after the old server exited (tcp_max_tw_buckets=0)",
                         seen: "after the old server exited: no sockets on the port") { run in
                run.editSockets(at: Moment.oldExited) { rows in rows.removeAll { $0.entry.state == .timeWait } }
            },
            ClaimFailure(recording, "time-wait-holds-port", "the old server's listener still open after it exited (a child kept the fd)",
                         seen: "a listener 127.0.0.1:7777 was still there") { run in
                let bothClosed = run.observation.sockets(at: Moment.bothClosed)
                guard let listener = zip(bothClosed?.table.entries ?? [], bothClosed?.labels ?? []).first(where: { $0.0.state == .listen })
                else { return }
                run.editSockets(at: Moment.oldExited) { $0.append(LabelledSocket(entry: listener.0, label: listener.1)) }
            },
            succeeds
                ? ClaimFailure(recording, "restart-bind", "the restart's bind() failed with EADDRINUSE", seen: "the kernel did: bind failed with EADDRINUSE") { run in
                    run.editSteps(of: "new server", where: { $0.call == "bind" }) { $0.errno = EADDRINUSE; $0.returnValue = -1 }
                }
                : ClaimFailure(recording, "restart-bind", "the restart's bind() succeeded", seen: "the kernel did: bind succeeded") { run in
                    run.editSteps(of: "new server", where: { $0.call == "bind" }) { $0.errno = nil; $0.returnValue = 0 }
                },
            succeeds
                ? ClaimFailure(recording, "new-server-outcome", "the new server never listened", seen: "the new server never listened") { run in
                    run.removeSteps(of: "new server") { $0.call == "listening" }
                }
                : ClaimFailure(recording, "new-server-outcome", "the new server aborted on the error", seen: "killed by SIGABRT") { run in
                    run.end("new server", .signaled(SIGABRT))
                },
        ]
    }
}
