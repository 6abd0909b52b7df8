import Testing
@testable import TCPLabKit

/// A student's program's calls as strace writes them on the role's descriptor 3, in the chunks it
/// writes (a call's start at entry, the rest at return), and its output lines read from its pipe:
/// a blocked call is filed as begun when the lab cuts the log, an output line sits where the
/// write(2) that printed it returned.
@Suite struct TracedCallsTests {
    static let start = """
        200 1795987392.000050 execve("/usr/bin/python3", ["python3", "server.py"], 0x7ffc /* 20 vars */) = 0 <0.000300>
        200 1795987392.000100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 4 <0.000040>
        200 1795987392.000200 bind(4, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("127.0.0.1")}, 16) = 0 <0.000030>
        200 1795987392.000300 listen(4, 1) = 0 <0.000020>
        200 1795987392.000400 write(1, "listening on 127.0.0.1:7777\\n", 28) = 28 <0.000015>
        200 1795987392.000500 accept4(4, 
        """

    @Test func aBlockedAcceptIsFiledAsBegunAndOutputWhereItWasWritten() throws {
        let log = EventLog()
        let calls = TracedCalls(label: "server", log: log)
        calls.take(ArraySlice(Self.start.utf8), at: 1_795_987_392_000_600)
        // The lab read the line a second later, on a busy machine.
        calls.printed("listening on 127.0.0.1:7777", at: 1_795_987_393_000_000)
        var steps = log.snapshot.steps
        let output = try #require(steps.first { $0.text == "output: listening on 127.0.0.1:7777" })
        #expect(output.began == 1_795_987_392_000_415, "placed where write(1, …) returned, not where it was read")
        #expect(!steps.contains { $0.call == "accept" }, "accept4's start alone is not a line yet")

        calls.settle()
        steps = log.snapshot.steps
        let accept = try #require(steps.first { $0.call == "accept" })
        #expect(accept.began == 1_795_987_392_000_500 && accept.ended == nil)

        calls.take(ArraySlice("{sa_family=AF_INET, sin_port=htons(43698), sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 5 <1.000000>\n".utf8), at: 1_795_987_393_000_700)
        let accepted = try #require(log.snapshot.steps.first { $0.call == "accept" })
        #expect(accepted.ended == 1_795_987_393_000_500 && accepted.returnValue == 5)
        #expect(log.snapshot.steps.filter { $0.call == "accept" }.count == 1, "completed in place, not filed twice")
    }

    @Test func outputWithNoTracedWriteStaysWhereItWasRead() throws {
        let log = EventLog()
        let calls = TracedCalls(label: "client", log: log)
        calls.take(ArraySlice("300 1795987392.000100 write(1, \"something else\\n\", 15) = 15 <0.000010>\n".utf8), at: 1_795_987_392_000_200)
        calls.printed("hello", at: 1_795_987_392_500_000)
        let output = try #require(log.snapshot.steps.first { $0.text == "output: hello" })
        #expect(output.began == 1_795_987_392_500_000)
    }
}
