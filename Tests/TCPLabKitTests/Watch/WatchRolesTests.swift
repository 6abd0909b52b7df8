import Testing
@testable import TCPLabKit

/// How `tcplab watch` names the traced programs' calls: `server`, `client`, `client 2`,
/// `server child PID`, `server thread N`, and `pid N` while a program's role is unknown.
@Suite struct WatchRolesTests {
    /// Feeds strace `lines` (each from the FIFO named first) through StraceSteps and WatchRoles;
    /// the steps' texts with their labels, as the timeline prints them.
    static func labelled(_ lines: [(String, String)]) -> [String] {
        var steps = StraceSteps()
        var roles = WatchRoles()
        for (source, text) in lines {
            let line = StraceLine.parse(Substring(text))!
            roles.note(line, from: source)
            for index in steps.feed(line) { roles.note(steps.steps[index]) }
        }
        return steps.steps.map { "\(roles.label($0.role)) \($0.text)" }
    }

    @Test func theServerTheClientAndASecondClient() {
        let labels = Self.labelled([
            ("trace", "10 1.000001 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000010>"),
            ("trace", "10 1.000002 listen(3, 1) = 0 <0.000010>"),
            ("trace-20", "21 1.000003 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000010>"),
            ("trace-20", "21 1.000004 connect(3, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0 <0.000010>"),
            ("trace-30", "31 1.000005 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000010>"),
            ("trace-30", "31 1.000006 connect(3, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0 <0.000010>"),
            ("trace-30", "31 1.000007 sendto(3, \"hehe\", 4, 0, NULL, 0) = 4 <0.000010>"),
        ])
        #expect(labels == ["server socket()", "server listen(1)", "client socket()", "client connect(127.0.0.1:7777)",
                           "client 2 socket()", "client 2 connect(127.0.0.1:7777)", "client 2 send(\"hehe\")"], "\(labels)")
    }

    @Test func aForkedChildAndAThreadAreNamedUnderTheServer() {
        let labels = Self.labelled([
            ("trace", "10 1.000001 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000010>"),
            ("trace", "10 1.000002 listen(3, 1) = 0 <0.000010>"),
            ("trace", "10 1.000003 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 11 <0.000010>"),
            ("trace", "11 1.000004 close(3) = 0 <0.000010>"),
            ("trace", "10 1.000005 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, stack=0x7f}, 88) = 12 <0.000010>"),
            ("trace", "12 1.000006 close(3) = 0 <0.000010>"),
        ])
        #expect(labels == ["server socket()", "server listen(1)", "server fork()", "server child 11 close(3)",
                           "server clone(CLONE_THREAD)", "server thread 1 close(3)"], "\(labels)")
    }

    @Test func aProgramThatNeitherListensNorConnectsKeepsItsPid() {
        let labels = Self.labelled([
            ("trace", "10 1.000001 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000010>"),
            ("trace", "10 1.000002 close(3) = 0 <0.000010>"),
        ])
        #expect(labels == ["pid 10 socket()", "pid 10 close(3)"], "\(labels)")
    }
}
