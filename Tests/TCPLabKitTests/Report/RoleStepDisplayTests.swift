import Testing
@testable import TCPLabKit

/// How a role's step reads on the timeline.
@Suite struct RoleStepDisplayTests {
    static func step(_ call: String, _ text: String, returnValue: Int? = nil, errno: Int32? = nil,
                     data: String? = nil, ended: Int64? = 20) -> RoleStep {
        RoleStep(role: "client", call: call, text: text, isNote: false, began: 10, ended: ended,
                 returnValue: returnValue, errno: errno, data: data)
    }

    @Test func sendReturnsItsCount() {
        #expect(Self.step("send", #"send("hehe")"#, returnValue: 4, data: "hehe").display == #"send("hehe") = 4"#)
    }

    @Test func sendFailsWithBrokenPipe() {
        let step = Self.step("send", #"send("wawa")"#, returnValue: -1, errno: 32)
        #expect(step.display == #"send("wawa") = -1 EPIPE (Broken pipe)"#)
    }

    @Test func recvZeroIsEOF() {
        #expect(Self.step("recv", "recv()", returnValue: 0).display == "recv() = 0 (EOF)")
        #expect(Self.step("recv", "recv()", returnValue: 4, data: "HA\"A").display == #"recv() = 4 "HA\"A""#)
    }

    @Test func killedInsideTheCall() {
        var step = Self.step("send", #"send("wawa")"#, ended: nil)
        #expect(step.display == #"send("wawa") ..."#)
        step.killedBy = .signaled(13)
        #expect(step.display == #"send("wawa") -> killed by SIGPIPE (signal 13)"#)
        #expect(step.display(.begin) == #"send("wawa") ..."#)
        #expect(step.display(.result) == "... send -> killed by SIGPIPE (signal 13)")
    }

    /// strace's unfinished and resumed lines: the start with its arguments, the return by name.
    @Test func startAndResult() {
        let refused = Self.step("connect", "connect(127.0.0.1:7777)", returnValue: -1, errno: 111)
        #expect(refused.display(.begin) == "connect(127.0.0.1:7777) ...")
        #expect(refused.display(.result) == "... connect = -1 ECONNREFUSED (Connection refused)")
        #expect(refused.display(.whole) == "connect(127.0.0.1:7777) = -1 ECONNREFUSED (Connection refused)")
        #expect(Self.step("recv", "recv()", returnValue: 4, data: "haha").display(.result) == #"... recv = 4 "haha""#)
        #expect(Self.step("recv", "recv()", returnValue: 0).display(.result) == "... recv = 0 (EOF)")
        // The name keeps what comes before the arguments, so several clients' calls stay apart.
        let second = Self.step("connect", "client 2: connect(127.0.0.1:7777)", returnValue: -1, errno: 115)
        #expect(second.display(.result) == "... client 2: connect = -1 EINPROGRESS (Operation now in progress)")
    }

    @Test func noteIsItsText() {
        let note = RoleStep(role: "client", call: "print", text: "other side has closed", isNote: true, began: 5, ended: 5)
        #expect(note.display == "other side has closed")
        #expect(note.display(.result) == "other side has closed", "a note has no parts")
        #expect(note.returned == 5)
    }

    @Test func returned() {
        #expect(Self.step("send", "send()", returnValue: 1).returned == 20)
        #expect(Self.step("recv", "recv()", ended: nil).returned == nil, "still running")
        var killed = Self.step("send", "send()", ended: nil)
        killed.killedBy = .signaled(13)
        #expect(killed.returned == 10, "killed, reaping time unknown: its start")
        killed.killedAt = 90
        #expect(killed.returned == 90)
    }
}
