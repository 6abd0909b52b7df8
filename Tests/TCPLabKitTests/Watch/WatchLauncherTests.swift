import Testing
@testable import TCPLabKit

/// `tcplab watch` leaves out what a launcher does before the program runs (`LauncherFilter`,
/// shared with `tcplab check`): the lines are a pyenv shim's chain as strace recorded it
/// (`/root/.pyenv/shims/python3` → bash → pyenv → pyenv-exec → python3), trimmed.
@Suite struct WatchLauncherTests {
    static let shimChain = """
        7880  1795995999.362453 execve("/root/.pyenv/shims/python3", ["/root/.pyenv/shims/python3", "x.py"], 0x7ffd42d52228 /* 39 vars */) = 0 <0.000303>
        7880  1795995999.366450 execve("/root/.cargo/bin/bash", ["bash", "/root/.pyenv/shims/python3", "x.py"], 0x7ffd9160fce8 /* 39 vars */) = -1 ENOENT (No such file or directory) <0.000012>
        7880  1795995999.366535 execve("/root/.pyenv/plugins/pyenv-virtualenv/shims/bash", ["bash", "/root/.pyenv/shims/python3", "x.py"], 0x7ffd9160fce8 /* 39 vars */) = -1 ENOENT (No such file or directory) <0.000011>
        7880  1795995999.366709 execve("/usr/bin/bash", ["bash", "/root/.pyenv/shims/python3", "x.py"], 0x7ffd9160fce8 /* 39 vars */) = 0 <0.005943>
        7880  1795995999.391463 execve("/root/.pyenv/libexec/pyenv", ["/root/.pyenv/libexec/pyenv", "exec", "python3", "x.py"], 0x55e1b2be8b10 /* 38 vars */) = 0 <0.015214>
        7880  1795995999.420337 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fed99949a10) = 7884 <0.001950>
        7884  1795995999.422697 dup2(4, 1)      = 1 <0.000008>
        7884  1795995999.423342 exit_group(0)   = ?
        7884  1795995999.423525 +++ exited with 0 +++
        7880  1795995999.423538 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7884, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
        7880  1795995999.423563 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = 7884 <0.000012>
        7880  1795995999.426903 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fed99949a10) = 7886 <0.000084>
        7886  1795995999.676411 wait4(-1,  <unfinished ...>
        7886  1795995999.845359 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 7914 <0.163086>
        7886  1795995999.850000 +++ exited with 0 +++
        7880  1795995999.875111 execve("/root/.pyenv/libexec/pyenv-exec", ["/root/.pyenv/libexec/pyenv-exec", "python3", "x.py"], 0x55a878d7d4f0 /* 41 vars */) = 0 <0.007195>
        7880  1795995999.887321 execve("/root/.pyenv/libexec/bash", ["bash", "/root/.pyenv/libexec/pyenv-exec", "python3", "x.py"], 0x7ffc3e9292e0 /* 41 vars */) = -1 ENOENT (No such file or directory) <0.000012>
        7880  1795995999.887747 execve("/usr/bin/bash", ["bash", "/root/.pyenv/libexec/pyenv-exec", "python3", "x.py"], 0x7ffc3e9292e0 /* 41 vars */) = 0 <0.000238>
        7880  1795996001.890706 execve("/root/.pyenv/versions/3.11.7/bin/python3", ["/root/.pyenv/versions/3.11.7/bin/python3", "x.py"], 0x564f36bc18c0 /* 42 vars */) = 0 <0.000303>
        7880  1795996001.891862 close(3)        = 0 <0.000008>
        """

    /// The texts of the calls `WatchCalls` shows for `lines` (each `(FIFO, line)`), with their roles.
    static func shown(_ lines: [(String, String)]) -> [String] {
        var calls = WatchCalls()
        for (source, text) in lines { calls.feed(StraceLine.parse(Substring(text))!, from: source) }
        return calls.steps.map { "\($0.role) \($0.text)" }
    }

    static func lines(_ text: String, from source: String = "trace") -> [(String, String)] {
        text.split(separator: "\n").map { (source, String($0)) }
    }

    @Test func aShimsExecAttemptsForksAndWaitsAreLeftOut() {
        let server = """
            7880  1795996002.015757 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000023>
            7880  1795996002.015800 bind(3, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("127.0.0.1")}, 16) = 0 <0.000010>
            7880  1795996002.015810 listen(3, 1) = 0 <0.000010>
            7880  1795996002.016000 close(3)        = 0 <0.000023>
            7880  1795996002.031964 +++ exited with 0 +++
            """
        let shown = Self.shown(Self.lines(Self.shimChain + "\n" + server))
        #expect(shown == ["server execve(\"/root/.pyenv/versions/3.11.7/bin/python3\")", "server socket()",
                          "server bind(127.0.0.1:7777)", "server listen(1)", "server close(3)",
                          "server exited with status 0"], "\(shown)")
    }

    @Test func aJoinedProgramIsFilteredOnItsOwn() {
        let server = """
            7880  1795996002.015757 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000023>
            7880  1795996002.015810 listen(3, 1) = 0 <0.000010>
            """
        let client = """
            9000  1795996003.000000 execve("/root/.pyenv/shims/python3", ["python3", "c.py"], 0x7ffd /* 39 vars */) = 0 <0.000303>
            9000  1795996003.000100 execve("/root/.cargo/bin/bash", ["bash", "/root/.pyenv/shims/python3", "c.py"], 0x7ffd /* 39 vars */) = -1 ENOENT (No such file or directory) <0.000012>
            9000  1795996003.000200 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fed) = 9001 <0.000084>
            9001  1795996003.000300 +++ exited with 0 +++
            9000  1795996003.000400 execve("/usr/bin/python3", ["/usr/bin/python3", "c.py"], 0x564f /* 42 vars */) = 0 <0.000303>
            9000  1795996003.000500 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000023>
            9000  1795996003.000600 connect(3, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("127.0.0.1")}, 16) = 0 <0.000010>
            """
        let shown = Self.shown(Self.lines(server) + Self.lines(client, from: "trace-9000"))
        #expect(shown == ["server socket()", "server listen(1)", "client execve(\"/usr/bin/python3\")",
                          "client socket()", "client connect(127.0.0.1:7777)"], "\(shown)")
    }

    @Test func aProgramThatNeverUsesASocketStillShowsItsEnd() {
        let shown = Self.shown(Self.lines(Self.shimChain + "\n7880  1795996002.031964 +++ exited with 3 +++"))
        #expect(shown == ["pid 7880 exited with status 3"], "\(shown)")
    }

    @Test func checkFilesTheSameWayAsWatch() {
        // The one rule both use: nothing before the first socket call, then from the last execve on.
        var steps = StraceSteps()
        var filter = LauncherFilter()
        var filed: [String] = []
        for (_, text) in Self.lines(Self.shimChain + "\n7880  1795996002.015757 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3 <0.000023>") {
            let line = StraceLine.parse(Substring(text))!
            for index in steps.feed(line) {
                filed += filter.admit(index, steps.steps[index], isProgram: line.pid == 7880).map { steps.steps[$0].text }
            }
        }
        #expect(filed == ["execve(\"/root/.pyenv/versions/3.11.7/bin/python3\")", "socket()"], "\(filed)")
    }
}

extension WatchLauncherTests {
    @Test func aForkServersChildStartsTheProgramItsParentExitedFrom() {
        let lines = """
            500  1795996003.000000 execve("/usr/bin/python3", ["python3", "fork.py"], 0x7ffd /* 39 vars */) = 0 <0.000303>
            500  1795996003.000100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fed) = 501 <0.000084>
            500  1795996003.000200 +++ exited with 0 +++
            501  1795996003.000300 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000023>
            501  1795996003.000400 listen(3, 1) = 0 <0.000010>
            """
        let shown = Self.shown(Self.lines(lines))
        #expect(shown == ["server exited with status 0", "server execve(\"/usr/bin/python3\")", "server fork()",
                          "server child 501 socket()", "server child 501 listen(1)"], "\(shown)")
    }
}
