import Testing
@testable import TCPLabKit

/// What the watch shows of a joined shell's strace lines, on lines as strace 6 writes them for
/// `strace -f -ttt -T -q … -- bash` (the shell 100, an rc-file subshell 101, the client 102 the
/// student started, and a child 103 the client forks).
@Suite struct ShellTraceFilterTests {
    static let trace = """
        100 1795987392.000001 execve("/usr/bin/bash", ["bash"], 0x7ffc /* 20 vars */) = 0 <0.000300>
        100 1795987392.000100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101 <0.000050>
        101 1795987392.000200 execve("/usr/bin/readlink", ["readlink", "x"], 0x5 /* 20 vars */) = 0 <0.000200>
        101 1795987392.000300 +++ exited with 1 +++
        100 1795987392.000400 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=1} ---
        100 1795987392.000500 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], WNOHANG, NULL) = 101 <0.000010>
        100 1795987393.000000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 102 <0.000050>
        102 1795987393.000100 execve("/usr/bin/python3", ["python3", "client.py"], 0x5 /* 20 vars */) = 0 <0.000400>
        102 1795987393.000500 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000040>
        102 1795987393.000600 connect(3, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("127.0.0.1")}, 16) = 0 <0.000100>
        102 1795987393.000700 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 103 <0.000050>
        103 1795987393.000800 sendto(3, "hehe", 4, 0, NULL, 0) = 4 <0.000020>
        103 1795987393.000900 +++ exited with 0 +++
        102 1795987393.001000 +++ exited with 0 +++
        100 1795987393.001100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=102, si_uid=0, si_status=0} ---
        """

    @Test func onlyTheNetworkProgramsStartedFromTheShellAreShown() throws {
        var filter = ShellTraceFilter()
        var shown: [(Int32, StraceLine.Event)] = []
        for text in Self.trace.split(separator: "\n") {
            let line = try #require(StraceLine.parse(text), "\(text)")
            if filter.shows(line) { shown.append((line.pid, line.event)) }
        }
        // The client from its socket() on (its execve came before), its forked child from birth.
        #expect(shown.map(\.0) == [102, 102, 102, 103, 103, 102])
        guard case .call(let first, _, _, _) = shown.first?.1 else { Issue.record("no call shown first"); return }
        #expect(first == "socket")
    }

    @Test func theShellItselfIsNeverShownEvenWhenItUsesASocket() throws {
        var filter = ShellTraceFilter()
        let lines = [
            "100 1795987392.000001 execve(\"/usr/bin/bash\", [\"bash\"], 0x7ffc /* 20 vars */) = 0 <0.000300>",
            "100 1795987392.000100 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3 <0.000040>",
        ].map { StraceLine.parse(Substring($0))! }
        #expect(lines.map { filter.shows($0) } == [false, false])
    }
}
