import ArgumentParser
import TCPLabKit

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say whether live capture works on this machine, and what to do when it does not.")

    @Flag(help: "Print the checks as JSON.")
    var json = false

    func run() throws {
        let checks = Doctor.checks()
        let ready = Doctor.canRunLive(checks)
        if json {
            emitJSON(checks)
        } else {
            for check in checks {
                emit("\(check.ok ? "ok  " : "no  ") \(check.name): \(check.detail)")
                if let advice = check.advice { emit("      what to do: \(advice)") }
            }
            emit(ready ? "live scenarios can run here" : "live scenarios cannot run here; `tcplab decode` still works on saved captures")
            emit(Doctor.watchSummary(checks))
        }
        if !ready { throw ExitCode(1) }
    }
}
