import Testing
@testable import TCPLabKit

/// The process table `tcplab watch` shows: the watched program's tree, never the tracer, from the
/// lab's descendants as /proc gave them (lines as `ps -o pid,comm,stat,ppid` shows them).
@Suite struct WatchedProgramTreeTests {
    static func stat(_ pid: Int32, _ command: String, _ state: String, parent: Int32) -> ProcessStat {
        ProcessStat(pid: pid, command: command, state: state, parentPID: parent, processGroup: 100)
    }

    @Test func straceAndItsChildBeforeExecveAreNotTheProgram() {
        // strace (100) has forked the program's process, which has not exec'd python3 yet.
        let tree = [Self.stat(100, "strace", "S", parent: 1), Self.stat(101, "strace", "R", parent: 100)]
        let found = WatchedProgram.programTree(tree, started: 100, tracerCommand: "strace")
        #expect(found.program == nil && found.all.isEmpty, "\(found)")
    }

    @Test func aProbeChildStraceLeftAsAZombieIsNotShown() {
        let tree = [Self.stat(100, "strace", "S", parent: 1), Self.stat(102, "python3", "S", parent: 100),
                    Self.stat(101, "strace", "Z", parent: 100)]
        let found = WatchedProgram.programTree(tree, started: 100, tracerCommand: "strace")
        #expect(found.program == 102 && found.all.map(\.pid) == [102], "\(found)")
    }

    @Test func aForkServersParentAndChildAreBothShown() {
        let tree = [Self.stat(103, "python3", "S", parent: 102), Self.stat(100, "strace", "S", parent: 1),
                    Self.stat(102, "python3", "S", parent: 100)]
        let found = WatchedProgram.programTree(tree, started: 100, tracerCommand: "strace")
        #expect(found.program == 102 && found.all.map(\.pid) == [102, 103], "\(found)")
    }

    @Test func aChildReParentedToTheLabStaysInTheTree() {
        // The parent exited first; the lab (a subreaper, 50) is its child's parent now.
        let tree = [Self.stat(100, "strace", "S", parent: 50), Self.stat(103, "python3", "S", parent: 50)]
        let found = WatchedProgram.programTree(tree, started: 100, tracerCommand: "strace")
        #expect(found.program == nil && found.all.map(\.pid) == [103], "\(found)")
    }

    @Test func anUntracedProgramIsTheProcessStarted() {
        let tree = [Self.stat(100, "python3", "S", parent: 50), Self.stat(101, "python3", "S", parent: 100)]
        let found = WatchedProgram.programTree(tree, started: 100, tracerCommand: nil)
        #expect(found.program == 100 && found.all.map(\.pid) == [100, 101], "\(found)")
    }
}
