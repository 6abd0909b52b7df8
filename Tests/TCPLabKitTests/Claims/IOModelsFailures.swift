import Glibc
@testable import TCPLabKit

/// io-models' claims, each made to fail the way another kernel or a buggy server would.
enum IOModelsFailures {
    static let variants = IOModels.Variant.allCases.map { "io-models-\($0.rawValue)" }

    static let all: [ClaimFailure] =
        ClaimFailure.each(variants, "delivered", "the server's read got other bytes", seen: "the server got \"pinX\"") { run in
            run.editSteps(of: "server", where: { $0.data == "ping" }) { $0.data = "pinX" }
        }
        + ClaimFailure.each(["io-models-blocking", "io-models-multiplexing"], "asleep", "the server spun instead of sleeping (a busy-wait)",
                            seen: "R ×") { run in
            run.editWaitReadings { $0.state = "R"; $0.wchan = "0" }
        }
        + ClaimFailure.each(["io-models-blocking", "io-models-multiplexing"], "asleep", "the server slept but used 50 ms of CPU meanwhile",
                            seen: "utime+stime +50 ms") { run in
            run.editWaitReadings(last: true) { $0.userTicks += 5 }
        }
        + [ClaimFailure("io-models-blocking", "returns-after-data", "recv() returned before the data segment was captured",
                        seen: "ms before the data segment") { run in
            let time = run.dataTime - 1000
            run.editSteps(of: "server", where: { $0.call == "recv" }) { $0.ended = time }
        },
        ClaimFailure("io-models-multiplexing", "returns-after-data", "poll() returned before the data came (a timeout of 0)",
                     seen: "ms before the data segment") { run in
            let time = run.dataTime - 1000
            run.editSteps(of: "server", where: { $0.call == "poll" }) { $0.ended = time }
        },
        ClaimFailure("io-models-multiplexing", "recv-no-block", "poll() returned early and recv() was called before the data came (it blocked)",
                     seen: "called 2.00 ms before the data segment") { run in
            let data = run.dataTime
            run.editSteps(of: "server", where: { $0.call == "poll" }) { $0.ended = data - 3000 }
            run.editSteps(of: "server", where: { $0.call == "recv" }) { $0.began = data - 2000 }
        },
        ClaimFailure("io-models-nonblocking", "eagain", "the socket was left blocking: the first recv() slept and returned the data",
                     seen: "the first recv(): recv() = 4 \"ping\"") { run in
            run.removeSteps(of: "server", where: { $0.call == IOModelCall.eagainLoop })
            run.removeSteps(of: "server", where: { $0.call == "recv" && $0.returnValue == 4 })
            run.editSteps(of: "server", where: { $0.call == "recv" }) { $0.errno = nil; $0.returnValue = 4; $0.data = "ping" }
        },
        ClaimFailure("io-models-nonblocking", "eagain", "the loop stopped asking long before the data came", seen: "ms before the data segment") { run in
            let time = run.dataTime - 200_000
            run.editSteps(of: "server", where: { $0.call == IOModelCall.eagainLoop }) { $0.began = time; $0.ended = time }
        },
        ClaimFailure("io-models-nonblocking", "burning-cpu", "the server slept in the kernel (a blocking socket)", seen: "S in wait_woken ×") { run in
            run.editWaitReadings { $0.state = "S"; $0.wchan = "wait_woken" }
        },
        ClaimFailure("io-models-nonblocking", "burning-cpu", "the server ran but its CPU time did not grow", seen: "utime+stime +0 ms") { run in
            let first = run.observation.waitReadings.first?.readings.first
            run.editWaitReadings { $0.userTicks = first?.userTicks ?? 0; $0.systemTicks = first?.systemTicks ?? 0 }
        },
        ClaimFailure("io-models-signal-driven", "async-setup", "fcntl(F_SETOWN) failed, so no process would get SIGIO",
                     seen: "fcntl(F_SETOWN") { run in
            run.editSteps(of: "server", where: { $0.text.hasPrefix("fcntl(F_SETOWN") }) { $0.returnValue = -1; $0.errno = EINVAL }
        },
        ClaimFailure("io-models-signal-driven", "sigio-after-data", "SIGIO came before the data segment (sent by something else)",
                     seen: "SIGIO 5.00 ms before the data segment") { run in
            let time = run.dataTime - 5000
            run.editSteps(of: "server", where: { $0.call == IOModelCall.sigio }) { $0.began = time; $0.ended = time }
        },
        ClaimFailure("io-models-async", "submitted-before-data", "the read was submitted only after the data came",
                     seen: "ms after the data segment") { run in
            let time = run.dataTime + 1000
            run.editSteps(of: "server", where: { $0.call == IOModelCall.submit }) { $0.began = time; $0.ended = time }
        },
        ClaimFailure("io-models-async", "completion-after-data", "a completion before the data segment (the read did not wait)",
                     seen: "ms before the data segment") { run in
            let time = run.dataTime - 1000
            run.editSteps(of: "server", where: { $0.call == IOModelCall.completion }) { $0.began = time; $0.ended = time }
        }]
        + ClaimFailure.each(["io-models-signal-driven", "io-models-async"], "other-work", "the main loop did no work while waiting",
                            seen: "units of other work done: 0") { run in
            run.editSteps(of: "server", where: { $0.call == IOModelCall.work }) { $0.returnValue = 0 }
        }
}

extension DoctoredRun {
    /// When the client's data segment was captured.
    var dataTime: Int64 { IOModelsFacts(observation, serverPort: port).data?.time ?? 0 }

    /// Edits every /proc reading taken while the server waited (with `last`, only the last one before the data segment).
    mutating func editWaitReadings(last: Bool = false, _ change: (inout ProcessActivity) -> Void) {
        let data = dataTime
        for recording in observation.waitReadings.indices {
            let indices = observation.waitReadings[recording].readings.indices.filter { observation.waitReadings[recording].readings[$0].time < data }
            for index in last ? Array(indices.suffix(1)) : indices {
                change(&observation.waitReadings[recording].readings[index])
            }
        }
    }
}
