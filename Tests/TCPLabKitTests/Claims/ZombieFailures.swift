import Glibc
@testable import TCPLabKit

/// zombie's claims, each made to fail the way another kernel, init or server program would.
enum ZombieFailures {
    static let allVariants = ["no-reap", "sigchld-ignore", "waitpid-handler", "orphan", "orphan-subreaper", "parent-keeps-fd"]
        .map { "zombie-\($0)" }
    static let orphanVariants = ["zombie-orphan", "zombie-orphan-subreaper"]

    static let all: [ClaimFailure] =
        ClaimFailure.each(allVariants, "each-client-served", "client 2 got its line back unchanged (a server that does not upper-case)",
                          seen: "client 2 recv() = 19 \"hello from client 2\"") { run in
            run.editSteps(of: "client 2", where: { $0.call == "recv" }) { $0.data = "hello from client 2" }
        }
        + [
            ClaimFailure("zombie-no-reap", "zombies-after-clients-left", "the parent reaped client 2's child (its row gone)",
                         seen: "Z, ") { run in
                run.editProcesses(at: Zombie.Moment.afterClientsLeft) { rows in rows.removeAll { $0.role == "server child for client 2" } }
            },
            ClaimFailure("zombie-no-reap", "zombies-after-clients-left", "client 1's child still running (state S) after the clients left",
                         seen: " S, ") { run in
                run.editProcesses(at: Zombie.Moment.afterClientsLeft) { rows in
                    for index in rows.indices where rows[index].role == "server child for client 1" { rows[index].process.state = "S" }
                }
            },
            ClaimFailure("zombie-no-reap", "kill-zombie-nothing", "kill -9 removed the zombie (a kernel that reaps on SIGKILL)",
                         seen: "was gone after kill -9") { run in
                guard let target = run.observation.labKills(SIGKILL).first?.pid else { return }
                run.editProcesses(at: Zombie.ChildMoment(.killed, target)) { rows in rows.removeAll { $0.process.pid == target } }
            },
            ClaimFailure("zombie-no-reap", "kill-zombie-nothing", "kill -9 failed with ESRCH (a kernel that treats a zombie as gone)",
                         seen: "SIGKILL) = -1 ESRCH") { run in
                for index in run.observation.labCalls.indices where run.observation.labCalls[index].signal == SIGKILL {
                    run.observation.labCalls[index].result = -1
                    run.observation.labCalls[index].errno = ESRCH
                }
            },
            ClaimFailure("zombie-no-reap", "parent-death-clears", "a zombie left after the parent died (an init that never reaps)",
                         seen: "still there: ") { run in
                run.leaveZombie(at: Zombie.Moment.afterNewParentReaped, adoptedBy: 1)
            },
            ClaimFailure("zombie-sigchld-ignore", "sigchld-ignored", "the server also called waitpid()",
                         seen: "server waitpid(-1, WNOHANG) = 0") { run in
                guard var step = run.observation.steps.first(where: { $0.role == "server" && $0.call == "signal" }) else { return }
                step.call = "waitpid"
                step.text = "waitpid(-1, WNOHANG)"
                step.returnValue = 0
                run.observation.steps.append(step)
            },
            ClaimFailure("zombie-sigchld-ignore", "no-zombie-ever", "a kernel that leaves the first child a zombie despite SIG_IGN",
                         seen: "state Z") { run in
                guard let child = run.children.first, let server = run.observation.pids["server"] else { return }
                run.editProcesses(at: Zombie.ChildMoment(.exited, child)) { rows in
                    rows.append(ProcessRow(process: ProcessStat(pid: child, command: "tcplab", state: "Z", parentPID: server, processGroup: server),
                                           role: "server child for client 1"))
                }
            },
            ClaimFailure("zombie-waitpid-handler", "handler-reaps-each", "waitpid reported exit status 1",
                         seen: "exited with status 1") { run in
                run.editSteps(of: "server", where: { $0.call == "waitpid" && ($0.returnValue ?? 0) > 0 }) {
                    $0.data = Termination.exited(1).description
                }
            },
            ClaimFailure("zombie-waitpid-handler", "handler-reaps-each", "the handler never reaped the last child",
                         seen: "was not reaped by waitpid") { run in
                guard let last = run.children.last else { return }
                run.removeSteps(of: "server") { $0.call == "waitpid" && $0.returnValue == Int(last) }
            },
            ClaimFailure("zombie-waitpid-handler", "no-zombie-remains", "a zombie in the table after the clients left",
                         seen: " Z") { run in
                run.leaveZombie(at: Zombie.Moment.afterClientsLeft, adoptedBy: run.observation.pids["server"] ?? 0)
            },
            ClaimFailure("zombie-orphan", "orphans-reparented", "the children kept their dead parent's pid as ppid",
                         seen: "ppid ") { run in
                let server = run.observation.pids["server"] ?? 0
                run.editProcesses(at: Zombie.Moment.afterParentExited) { rows in
                    for index in rows.indices where rows[index].role.hasPrefix("server child") { rows[index].process.parentPID = server }
                }
            },
            ClaimFailure("zombie-orphan", "orphans-reparented", "the children died with their parent (zombies)",
                         seen: "state Z") { run in
                run.editProcesses(at: Zombie.Moment.afterParentExited) { rows in
                    for index in rows.indices where rows[index].role.hasPrefix("server child") { rows[index].process.state = "Z" }
                }
            },
            ClaimFailure("zombie-orphan-subreaper", "orphans-to-lab", "the children went to PID 1 despite the subreaper",
                         seen: "new parents 1 (") { run in
                run.editProcesses(at: Zombie.Moment.afterParentExited) { rows in
                    rows.removeAll { $0.role.hasPrefix("lab") }
                    for index in rows.indices where rows[index].role.hasPrefix("server child") { rows[index].process.parentPID = 1 }
                }
            },
        ]
        + ClaimFailure.each(orphanVariants, "orphans-serve", "a child answered before the parent exited",
                            seen: "before the parent's exit") { run in
            guard let exit = run.observation.steps.first(where: { $0.role == "server" && $0.call == "exit" }),
                  let child = run.children.first else { return }
            run.editSteps(of: "server child \(child)", where: { $0.call == "send" }) { $0.began = exit.began - 1 }
        }
        + ClaimFailure.each(orphanVariants, "orphans-reaped", "a zombie left after the orphans exited (a new parent that never reaps)",
                            seen: "still there: ") { run in
            run.leaveZombie(at: Zombie.Moment.afterNewParentReaped, adoptedBy: 1)
        }
        + [
            ClaimFailure("zombie-parent-keeps-fd", "child-close-no-fin", "the child's close sent a FIN (a parent that closed its copy)",
                         seen: "FIN #") { run in
                // The first FIN from the server side, moved to right after the last child's close().
                let port = run.port
                let childClose = run.observation.steps.filter { $0.role.hasPrefix("server child") && $0.call == "close" }.map(\.began).max() ?? 0
                guard let fin = run.observation.segments.firstIndex(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) })
                else { return }
                run.observation.segments[fin].time = childClose + 1
            },
            ClaimFailure("zombie-parent-keeps-fd", "child-close-no-fin", "the capture dropped packets", seen: "dropped 2 packets") { run in
                run.dropPackets(2)
            },
            ClaimFailure("zombie-parent-keeps-fd", "child-close-no-fin", "the server sides in CLOSE_WAIT after the children closed",
                         seen: "CLOSE_WAIT") { run in
                let port = run.port
                run.setState(at: Zombie.Moment.afterChildrenExited, where: { $0.localPort == port && $0.state == .established }, to: .closeWait)
            },
            ClaimFailure("zombie-parent-keeps-fd", "fin-on-last-close", "no FIN from the server (a parent that exits without closing)",
                         seen: "no FIN to client 1") { run in
                let port = run.port
                run.removeSegments { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }
            },
        ]
}

extension DoctoredRun {
    /// The children the server forked, in fork order.
    var children: [Int32] {
        observation.steps.compactMap { step in
            step.role == "server" && step.call == "fork" ? step.returnValue.flatMap { $0 > 0 ? Int32($0) : nil } : nil
        }
    }

    /// Adds the first child as a zombie of `parent` to the table recorded at `moment`.
    mutating func leaveZombie(at moment: some ScenarioMoment, adoptedBy parent: Int32) {
        guard let child = children.first else { return }
        let group = observation.pids["server"] ?? 0
        editProcesses(at: moment) { rows in
            rows.append(ProcessRow(process: ProcessStat(pid: child, command: "tcplab", state: "Z", parentPID: parent, processGroup: group),
                                   role: "server child for client 1"))
        }
    }
}
