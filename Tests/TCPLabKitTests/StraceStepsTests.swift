import Testing
@testable import TCPLabKit

/// strace lines recorded from `strace -f -ttt -T` of a Python server, turned into timeline steps.
@Suite struct StraceStepsTests {
    static let recorded = """
        30418 1795987392.864420 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000040>
        30418 1795987392.864517 bind(3, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("127.0.0.1")}, 16) = 0 <0.000031>
        30418 1795987392.864605 listen(3, 1)    = 0 <0.000023>
        30418 1795987392.865314 accept4(3,  <unfinished ...>
        30463 1795987392.866780 read(4, "\\247\\r\\r\\n", 11568) = 4 <0.000014>
        30418 1795987392.869725 <... accept4 resumed>{sa_family=AF_INET, sin_port=htons(59230), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC) = 4 <0.004393>
        30418 1795987392.870009 recvfrom(4, "hehe", 10, 0, NULL, NULL) = 4 <0.000019>
        30418 1795987392.870917 sendto(4, "x", 1, 0, NULL, 0) = -1 EPIPE (Broken pipe) <0.000034>
        30418 1795987392.870889 --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---
        30418 1795987392.871002 close(4)        = 0 <0.000012>
        30418 1795987392.879467 +++ exited with 3 +++
        """

    @Test func parsesEveryKindOfLine() throws {
        let lines = Self.recorded.split(separator: "\n").compactMap { StraceLine.parse($0) }
        #expect(lines.count == 11)
        #expect(lines[3].event == .unfinished(name: "accept4", arguments: "3,"))
        guard case .resumed("accept4", _, "4", 4393) = lines[5].event else { Issue.record("\(lines[5])"); return }
        #expect(lines[10].event == .exited(3))
        #expect(StraceLine.parse("strace: Process 12 attached") == nil)
    }

    @Test func stepsShowSocketCallsOnly() {
        var steps = StraceSteps()
        for line in Self.recorded.split(separator: "\n").compactMap({ StraceLine.parse($0) }) { steps.feed(line) }
        let shown = steps.steps.map { "\($0.role) \($0.display)" }
        #expect(shown == [
            "pid 30418 socket() = 3",
            "pid 30418 bind(127.0.0.1:7777) = 0",
            "pid 30418 listen(1) = 0",
            "pid 30418 accept() = 4",
            "pid 30418 recv() = 4 \"hehe\"",
            "pid 30418 send(\"x\") = -1 EPIPE (Broken pipe)",
            "pid 30418 received SIGPIPE",
            "pid 30418 close(4) = 0",
            "pid 30418 exited with status 3",
        ])
        // The accept began at its unfinished line and returned 4393 µs later.
        #expect(steps.steps[3].began == 1795987392865314 && steps.steps[3].ended == 1795987392869707)
    }
}
