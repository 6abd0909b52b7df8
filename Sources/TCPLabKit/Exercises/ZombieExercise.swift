import Foundation
import Glibc

/// Predictions for zombie, one exercise per variant: how many zombies a fork server leaves,
/// what kill -9 does to one, who adopts orphans, and where the FIN of a shared socket comes from.
/// Every answer is read from the run's process tables (at the scenario's moments), the lab's own
/// kill calls (`labCalls`), the steps and the capture.
enum ZombieExercise {
    static let states = ["ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSED"]
    static let afterKill = ["gone from the table", "still a zombie (Z)", "running again"]
    static let afterExit = ["a zombie (Z)", "gone from /proc"]
    static let orphanStates = ["still running (S or R)", "a zombie (Z)", "gone"]
    static let adopters = ["PID 1 (init)", "the lab (tcplab, a subreaper)", "another subreaper"]
    static let waitResults = ["a child's pid", "0", "-1 ECHILD"]

    static let all: [Exercise] = [
        Exercise(scenario: "zombie", variant: "no-reap", predictions: [
            zombieCount,
            Prediction(
                id: "kill-return", question: "The lab runs kill -9 on one zombie. What does kill() return?",
                kind: .number, seen: { observed, report in
                    zombieKill(report).map { "the lab's kill(\($0.pid), SIGKILL) returned \(observed)" } ?? "the lab's kill -9 returned \(observed)"
                }) { report in
                zombieKill(report).map { String($0.result) }
            },
            Prediction(
                id: "after-kill", question: "And right after kill -9, what is that process?",
                kind: .choice(afterKill), seen: { observed, report in
                    guard let target = zombieKill(report)?.pid else { return "the lab killed no zombie" }
                    let table = report.processTable(at: Zombie.ChildMoment(.killed, target))
                    let row = table?.row(target).map { "listed \(target) in state \($0.process.state)" } ?? "did not list \(target)"
                    return "the process table \(table?.moment ?? "right after kill -9 \(target)") \(row)"
                }) { report in
                guard let target = zombieKill(report)?.pid, let table = report.processTable(at: Zombie.ChildMoment(.killed, target)) else {
                    return nil
                }
                guard let row = table.row(target) else { return afterKill[0] }
                return row.process.isZombie ? afterKill[1] : afterKill[2]
            },
            Prediction(
                id: "new-parent-pid", question: "Then the lab kills the parent. What is the zombies' new parent pid (their PPID)?",
                kind: .number, seen: parentEvidence(Zombie.Moment.afterParentDied)) { report in
                report.processTable(at: Zombie.Moment.afterParentDied).flatMap { table in
                    RunReport.same(children(table).map(\.process.parentPID)).map(String.init)
                }
            },
            zombiesAtEnd,
        ]),
        Exercise(scenario: "zombie", variant: "sigchld-ignore", predictions: [
            zombieCount,
            Prediction(
                id: "child-after-exit", question: "With SIGCHLD set to SIG_IGN, what does /proc show for a child right after it calls _exit(0)?",
                kind: .choice(afterExit), seen: { _, report in
                    let looks = forks(report).compactMap { child in
                        report.processTable(at: Zombie.ChildMoment(.exited, child)).map { table in
                            "\(child) " + (table.row(child).map { "in state \($0.process.state)" } ?? "gone")
                        }
                    }
                    return looks.isEmpty ? "no process table was taken after a child's exit"
                        : "the process tables right after each child's _exit(0) listed: " + looks.joined(separator: ", ")
                }) { report in
                let looks = forks(report).compactMap { child in
                    report.processTable(at: Zombie.ChildMoment(.exited, child)).map { $0.row(child)?.process.isZombie == true }
                }
                guard !looks.isEmpty else { return nil }
                return looks.contains(true) ? afterExit[0] : afterExit[1]
            },
            Prediction(
                id: "wait-calls", question: "How many times does the server call wait() or waitpid()?",
                kind: .number, seen: { observed, _ in "the server's steps hold \(observed) waitpid() calls" }) { report in
                String(report.steps(of: "server").filter { $0.call == "waitpid" }.count)
            },
        ]),
        Exercise(scenario: "zombie", variant: "waitpid-handler", predictions: [
            zombieCount,
            Prediction(
                id: "reaped", question: "How many children does the SIGCHLD handler's waitpid(-1, WNOHANG) loop reap?",
                kind: .number, seen: { observed, report in
                    let reaped = report.steps(of: "server").compactMap { $0.call == "waitpid" ? $0.returnValue.flatMap { $0 > 0 ? Int32($0) : nil } : nil }
                    return "\(observed) of the server's waitpid() calls returned a child's pid" + Evidence.pids(reaped)
                }) { report in
                String(report.steps(of: "server").filter { $0.call == "waitpid" && ($0.returnValue ?? 0) > 0 }.count)
            },
            Prediction(
                id: "exit-status", question: "What exit status does waitpid report for each child?",
                kind: .number, seen: { observed, report in
                    let reports = report.steps(of: "server").filter { $0.call == "waitpid" && ($0.returnValue ?? 0) > 0 }
                        .map { "\($0.returnValue ?? 0): \($0.data ?? "?")" }
                    return "the server's waitpid() calls reported " + (reports.isEmpty ? "no child" : reports.joined(separator: ", "))
                        + " (status \(observed))"
                }) { report in
                let statuses = report.steps(of: "server").filter { $0.call == "waitpid" && ($0.returnValue ?? 0) > 0 }
                    .map { ($0.data ?? "").components(separatedBy: "exited with status ").last.flatMap { Int($0) } }
                return RunReport.same(statuses).flatMap { $0 }.map(String.init)
            },
            Prediction(
                id: "wait-nothing-yet", question: "When the loop calls waitpid(-1, WNOHANG) again while its other children still run, what does it return?",
                kind: .choice(waitResults), seen: Evidence.call("the server's first waitpid(-1, WNOHANG) that reaped no child (while others ran)")) { report in
                // The first call that reaped nothing, as long as it was not the very last one (no child left).
                let calls = report.steps(of: "server").filter { $0.call == "waitpid" && $0.ended != nil }
                return calls.dropLast().first { ($0.returnValue ?? 0) <= 0 }.flatMap(waitResult)
            },
            Prediction(
                id: "wait-last", question: "And its very last call, once every child has been reaped?",
                kind: .choice(waitResults), seen: Evidence.call("the server's last waitpid(-1, WNOHANG)")) { report in
                report.steps(of: "server").last { $0.call == "waitpid" && $0.ended != nil }.flatMap(waitResult)
            },
        ]),
        orphanExercise("orphan", pidQuestion: true),
        orphanExercise("orphan-subreaper", pidQuestion: false),
        Exercise(scenario: "zombie", variant: "parent-keeps-fd", predictions: [
            Prediction(
                id: "fins-before-parent", question: "Each child answers, close()s its socket and exits. How many FINs does the server side send before the parent closes its copies?",
                kind: .number, seen: { observed, report in
                    let before = parentCloses(report).first.map { close in serverFINs(report).filter { $0.time < close.began } } ?? []
                    return "the server side sent \(observed) FINs before the parent's first close()" + (before.isEmpty ? "" : ": \(Evidence.numbers(before))")
                }) { report in
                guard let parentClose = parentCloses(report).first?.began else { return nil }
                return String(serverFINs(report).filter { $0.time < parentClose }.count)
            },
            Prediction(
                id: "client-state-children-gone", question: "After the children exited, which state are the clients' connections in?",
                kind: .choice(states), seen: Evidence.table(Zombie.Moment.afterChildrenExited, for: "the clients' connections")) { report in
                clientState(report, .afterChildrenExited)
            },
            Prediction(
                id: "client-state-parent-closed", question: "After the parent closed its copies, which state are the clients' connections in?",
                kind: .choice(states), seen: Evidence.table(Zombie.Moment.afterParentClosed, for: "the clients' connections")) { report in
                clientState(report, .afterParentClosed)
            },
            Prediction(
                id: "connections-with-fin", question: "How many connections get a FIN from the server side once the parent has closed its copies?",
                kind: .number, seen: { observed, report in
                    let after = parentCloses(report).first.map { close in serverFINs(report).filter { $0.time >= close.began } } ?? []
                    return "\(observed) connections got a FIN from the server side after the parent's first close()"
                        + (after.isEmpty ? "" : ": \(Evidence.numbers(after))")
                }) { report in
                guard let parentClose = parentCloses(report).first?.began else { return nil }
                return String(Set(serverFINs(report).filter { $0.time >= parentClose }.map(\.connection)).count)
            },
        ]),
    ]

    // MARK: shared questions

    static let zombieCount = Prediction(
        id: "zombie-count", question: "3 clients (or --clients N) are each served by a child and leave. How many of the server's children are zombies (state Z) after they left?",
        kind: .number, seen: Evidence.processes(Zombie.Moment.afterClientsLeft, "zombies among the server's children") {
            children($0).filter(\.process.isZombie)
        }) { report in
        report.processTable(at: Zombie.Moment.afterClientsLeft).map { table in String(children(table).filter(\.process.isZombie).count) }
    }

    static let zombiesAtEnd = Prediction(
        id: "zombies-at-end", question: "Once their new parent has done its job, how many of the children are still in the process table?",
        kind: .number, seen: Evidence.processes(Zombie.Moment.afterNewParentReaped, "of the server's children", children)) { report in
        report.processTable(at: Zombie.Moment.afterNewParentReaped).map { table in String(children(table).count) }
    }

    static func orphanExercise(_ variant: String, pidQuestion: Bool) -> Exercise {
        var predictions = [
            Prediction(
                id: "orphan-state", question: "The parent exits while its children are still serving. Right after, what are the children?",
                kind: .choice(orphanStates), seen: { _, report in
                    guard let table = report.processTable(at: Zombie.Moment.afterParentExited) else { return "no process table after the parent exited" }
                    let rows = children(table).map { "\($0.process.pid) in state \($0.process.state)" }
                    return "the process table \(table.moment) listed " + (rows.isEmpty ? "none of the children" : rows.joined(separator: ", "))
                }) { report in
                guard let table = report.processTable(at: Zombie.Moment.afterParentExited) else { return nil }
                let states = children(table).map { row in
                    row.process.isZombie ? orphanStates[1] : (["S", "R", "D"].contains(row.process.state) ? orphanStates[0] : nil)
                }
                return states.isEmpty ? orphanStates[2] : RunReport.same(states).flatMap { $0 }
            },
            Prediction(
                id: "adopter", question: "Who becomes their new parent?",
                kind: .choice(adopters), seen: parentEvidence(Zombie.Moment.afterParentExited)) { report in
                guard let table = report.processTable(at: Zombie.Moment.afterParentExited),
                      let parent = RunReport.same(children(table).map(\.process.parentPID))
                else { return nil }
                if parent == 1 { return adopters[0] }
                return table.row(parent)?.role.hasPrefix("lab") == true ? adopters[1] : adopters[2]
            },
        ]
        if pidQuestion {
            predictions.append(Prediction(
                id: "new-parent-pid", question: "What is their new parent's pid (their PPID)?",
                kind: .number, seen: parentEvidence(Zombie.Moment.afterParentExited)) { report in
                report.processTable(at: Zombie.Moment.afterParentExited).flatMap { table in
                    RunReport.same(children(table).map(\.process.parentPID)).map(String.init)
                }
            })
        }
        predictions += [
            Prediction(
                id: "answers-after-exit", question: "How many of the 3 clients (or --clients N) still get their answer after the parent has exited?",
                kind: .number, seen: { observed, _ in "\(observed) clients' recv() returned their answer after the server's parent exited" }) { report in
                guard let exit = report.steps(of: "server").first(where: { $0.call == "exit" }) else { return nil }
                let clients = Set(report.steps.map(\.role).filter { $0.hasPrefix("client ") })
                return String(clients.filter { client in
                    report.steps(of: client).contains { $0.call == "recv" && ($0.returnValue ?? 0) > 0 && ($0.ended ?? $0.began) > exit.began }
                }.count)
            },
            zombiesAtEnd,
        ]
        return Exercise(scenario: "zombie", variant: variant, predictions: predictions)
    }

    // MARK: reading the run

    /// `the process table after the parent died listed the children 22047, 22048 with PPID 1 (new parent: PID 1, the init)`.
    static func parentEvidence(_ moment: Zombie.Moment) -> Prediction.EvidenceLine {
        { _, report in
            guard let table = report.processTable(at: moment) else { return "no process table \(moment.text)" }
            let rows = children(table)
            let parents = Set(rows.map(\.process.parentPID)).sorted()
            let named = parents.compactMap { parent in table.row(parent).map { "\(parent): \($0.role)" } }
            return "the process table \(table.moment) listed the children \(rows.map { String($0.process.pid) }.joined(separator: ", ")) "
                + "with PPID \(parents.map(String.init).joined(separator: ", "))" + (named.isEmpty ? "" : " (\(named.joined(separator: "; ")))")
        }
    }

    /// The server's children in a process table: the rows the scenario labelled `server child …`.
    static func children(_ table: ProcessSnapshot) -> [ProcessRow] { table.rows.filter { $0.role.hasPrefix("server child") } }

    /// The lab's kill -9 of a zombie.
    static func zombieKill(_ report: RunReport) -> LabProcessCall? {
        report.labCalls?.first { $0.call == .kill && $0.signal == SIGKILL }
    }

    /// The children the server forked, in fork order.
    static func forks(_ report: RunReport) -> [Int32] {
        report.steps(of: "server").compactMap { $0.call == "fork" ? $0.returnValue.flatMap { $0 > 0 ? Int32($0) : nil } : nil }
    }

    /// The parent's own close() calls (its forgotten copies of the accepted sockets).
    static func parentCloses(_ report: RunReport) -> [RoleStep] {
        report.steps(of: "server").filter { $0.call == "close" && !$0.isNote }
    }

    /// FIN segments sent by the server side.
    static func serverFINs(_ report: RunReport) -> [SegmentRow] {
        report.segments.filter { $0.direction == .serverToClient && $0.flags.contains("F") }
    }

    /// The state every client's socket was in at `moment`, when they all agree.
    static func clientState(_ report: RunReport, _ moment: Zombie.Moment) -> String? {
        report.snapshot(at: moment).flatMap { snapshot in
            RunReport.same(snapshot.sockets.filter { ($0.role ?? "").hasPrefix("client ") }.map(\.state))
        }
    }

    /// A waitpid step as one of `waitResults`.
    static func waitResult(_ step: RoleStep) -> String? {
        if let value = step.returnValue, value > 0 { return waitResults[0] }
        if step.returnValue == 0 { return waitResults[1] }
        if step.failure == Errno(rawValue: ECHILD) { return waitResults[2] }
        return nil
    }
}
