@testable import TCPLabKit

/// flow-control's claims, each made to fail the way another kernel or program would.
enum FlowControlFailures {
    static let both = ["flow-control-blocking", "flow-control-nonblocking"]

    static let all: [ClaimFailure] =
        ClaimFailure.each(both, "window-shrinks", "the server's window never reached 0 (a receiver that kept 1 unit open)",
                          seen: "no zero window from the server") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.window == 0 }) { $0.window = 1 }
        }
        + ClaimFailure.each(both, "queues-full", "the server's Recv-Q empty while the window was closed (a receiver that lied about its window)",
                            seen: "server Recv-Q 0, but the server had acknowledged 4096 bytes") { run in
            run.editSockets(at: FlowControl.Moment.windowClosed) { rows in
                for index in rows.indices where rows[index].label == "server" && rows[index].entry.state == .established {
                    rows[index].entry.receiveQueue = 0
                }
            }
        }
        + ClaimFailure.each(both, "persist-probes", "the probes at a fixed interval, no backoff", seen: "probe intervals that do not grow") { run in
            let probes = run.flowFacts.probesWhileClosed
            guard let zero = run.flowFacts.zeroWindow, probes.count >= 2 else { return }
            let step: Int64 = 200_000
            for (index, probe) in probes.enumerated() {
                run.retime(probe.number, to: zero.time + step * Int64(index + 1))
            }
        }
        + ClaimFailure.each(both, "window-update", "no window update: the window stayed closed", seen: "no segment from the server reopened the window") { run in
            guard let update = run.flowFacts.windowUpdate else { return }
            run.editSegments(where: { $0.number == update.number }) { $0.window = 0 }
        }
        + ClaimFailure.each(both, "data-flows", "the client's Send-Q still full after the read (data stuck in the sender)",
                            seen: "after the read: client Send-Q 2048") { run in
            run.editSockets(at: FlowControl.Moment.afterRead) { rows in
                for index in rows.indices where rows[index].label == "client" { rows[index].entry.sendQueue = 2048 }
            }
        }
        + [ClaimFailure("flow-control-blocking", "send-blocked", "send() returned before the window update (a send buffer that took everything)",
                        seen: "before the window update") { run in
            guard let zero = run.flowFacts.zeroWindow else { return }
            run.editSteps(of: "client", where: { $0.call == "send" }) { $0.ended = zero.time + 1 }
        },
        ClaimFailure("flow-control-nonblocking", "eagain", "no send() returned EAGAIN (a send buffer that took everything)",
                     seen: "no send() returned EAGAIN") { run in
            run.removeSteps(of: "client", where: { $0.failure == .wouldBlock })
        }]
}

extension DoctoredRun {
    var flowFacts: FlowControlFacts { FlowControlFacts(observation, serverPort: port) }

    /// Moves segment `number` to `time`, keeping the capture in time order.
    mutating func retime(_ number: Int, to time: Int64) {
        for index in observation.segments.indices where observation.segments[index].number == number {
            observation.segments[index].time = time
        }
    }
}
