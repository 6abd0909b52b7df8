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
        #expect(step.display == #"send("wawa") …"#)
        step.killedBy = .signaled(13)
        #expect(step.display == #"send("wawa") -> killed by SIGPIPE (signal 13)"#)
    }

    @Test func noteIsItsText() {
        let note = RoleStep(role: "client", call: "print", text: "other side has closed", isNote: true, began: 5, ended: 5)
        #expect(note.display == "other side has closed")
        #expect(note.time == 5)
    }

    @Test func placement() {
        // A send is placed when made, a recv/accept when it returned.
        #expect(Self.step("send", "send()", returnValue: 1).time == 10)
        #expect(Self.step("accept", "accept()", returnValue: 5).time == 20)
        #expect(Self.step("recv", "recv()", ended: nil).time == 10)
    }
}
