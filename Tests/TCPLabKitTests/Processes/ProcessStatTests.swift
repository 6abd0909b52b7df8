import Foundation
import Testing
@testable import TCPLabKit

/// /proc/PID/stat lines recorded on Linux 6.18, parsed from the last ')'.
@Suite struct ProcessStatTests {
    /// A sleeping bash whose comm was set to "(tcplab role)": spaces and parentheses inside the parentheses.
    static let parenthesesInName = "22798 ((tcplab role)) S 22796 22796 23238 0 -1 4194304 192 0 0 0 0 0 0 0 20 0 1 0 171261 4464640 752 18446744073709551615 94425337663488 94425338452893 140728727860272 0 0 0 65536 4 65538 1 0 0 17 1 0 0 0 0 0 94425338686192 94425338734436 94426341146624 140728727865814 140728727865886 140728727865886 140728727867370 0\n"
    /// A comm crafted to look like the fields that follow it: "x) Z 1 2 (y".
    static let fieldsInName = "22800 (x) Z 1 2 (y) S 22796 22796 23238 0 -1 4194304 185 0 0 0 0 0 0 0 20 0 1 0 171262 4464640 791 18446744073709551615 94510456918016 94510457707421 140720440782736 0 0 0 65536 4 65538 1 0 0 17 1 0 0 0 0 0 94510457940720 94510457988964 94511042981888 140720440789464 140720440789534 140720440789534 140720440791018 0\n"
    /// A forked child that exited and was not yet reaped: state Z, its memory fields zeroed.
    static let zombie = "22843 (python3) Z 22802 22796 23238 0 -1 4227148 219 0 0 0 0 0 0 0 20 0 1 0 171273 0 0 18446744073709551615 0 0 0 0 0 0 0 16781312 2 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    /// PID 1 of this sandbox: parent 0, process group 0.
    static let initProcess = "1 (process_api) S 0 0 0 0 -1 4194560 42784 12010732 0 2101 134 505 28029 6381 10 -10 13 0 24 45551616 3636 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0"

    @Test func nameWithSpacesAndParentheses() throws {
        let stat = try #require(ProcessStat.parse(Self.parenthesesInName))
        #expect(stat == ProcessStat(pid: 22798, command: "(tcplab role)", state: "S", parentPID: 22796, processGroup: 22796))
        #expect(!stat.isZombie)
        #expect(stat.displayCommand == "(tcplab role)")
    }

    @Test func fieldsAreTakenAfterTheLastParenthesis() throws {
        let stat = try #require(ProcessStat.parse(Self.fieldsInName))
        #expect(stat.command == "x) Z 1 2 (y")
        #expect(stat.state == "S" && stat.parentPID == 22796 && !stat.isZombie)
    }

    /// The brief's shape: a comm `a b) c)` holding a space and two closing parentheses.
    @Test func nameWithSpaceAndClosingParentheses() throws {
        let stat = try #require(ProcessStat.parse("1234 (a b) c)) S 1 1234 1234 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n"))
        #expect(stat == ProcessStat(pid: 1234, command: "a b) c)", state: "S", parentPID: 1, processGroup: 1234))
    }

    /// What ServerUsage and ProcessCensus read from it: a parent pid behind a comm in parentheses,
    /// with nothing after the process group and no newline.
    @Test func shortLineWithNestedParentheses() throws {
        let stat = try #require(ProcessStat.parse("311 (tcplab (role)) S 310 311"))
        #expect(stat.command == "tcplab (role)" && stat.parentPID == 310 && stat.processGroup == 311)
    }

    @Test func zombie() throws {
        let stat = try #require(ProcessStat.parse(Self.zombie))
        #expect(stat.pid == 22843 && stat.parentPID == 22802 && stat.processGroup == 22796)
        #expect(stat.isZombie)
        #expect(stat.displayCommand == "[python3] <defunct>")
    }

    @Test func initHasParentZero() throws {
        let stat = try #require(ProcessStat.parse(Self.initProcess))
        #expect(stat.pid == 1 && stat.command == "process_api" && stat.parentPID == 0 && stat.processGroup == 0)
    }

    @Test(arguments: ["", "garbage", "12 (x", "12 x) S 1 1", "12 (x) S", "12 (x) S one 1", "12 (x) SS 1 1", "x (y) S 1 1", "12 (x) S 1\n", ") 12 (x S 1 1"])
    func notAStatLine(line: String) {
        #expect(ProcessStat.parse(line) == nil)
    }

    @Test func readsThisProcess() throws {
        let me = try #require(ProcessStat.read(pid: getpid()))
        #expect(me.pid == getpid() && me.parentPID == getppid() && me.command.hasPrefix("tcplab"))
        #expect(ProcessTable.family(of: getppid()).contains { $0.pid == getpid() })
        #expect(!ProcessTable.hasExited(getpid()))
    }

    @Test func snapshotLinesShowDefunct() throws {
        let zombie = try #require(ProcessStat.parse(Self.zombie))
        let snapshot = ProcessSnapshot(time: 0, moment: "after the clients left", rows: [ProcessRow(process: zombie, role: "server child")])
        #expect(snapshot.lines == [
            "processes  after the clients left:",
            "               PID   PPID  S  COMMAND",
            "             22843  22802  Z  [python3] <defunct> server child",
        ])
        #expect(ProcessSnapshot(time: 0, moment: "later", rows: []).lines == ["processes  later: none of them exist any more"])
    }
}
