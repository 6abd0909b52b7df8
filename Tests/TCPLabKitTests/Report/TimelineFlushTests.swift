import Testing
@testable import TCPLabKit

/// `TimelinePrinter.flush`: segments, steps and notes come out in the order `Timeline` gives,
/// each once; a call's result waits until it has returned, but the start of a call still
/// running is printed above anything that happened after it began.
@Suite struct TimelineFlushTests {
    static let synLine = "   1  0.000     C > S   S      0                    0  65495   SYN  mss 65495, sackOK, TS val 1320722789 ecr 0, wscale 10"
    static let synAckLine = "   2  2.000     S > C   S.     0          1         0  65483   SYN-ACK  mss 65495, sackOK, TS val 1797274769 ecr 1320722789, wscale 10"

    /// Times in microseconds; the SYN is at 1_000, the SYN-ACK at 3_000.
    static func observation() throws -> Observation {
        let frames = try capturedSegments([IPv4Fixtures.syn, IPv4Fixtures.synAck], start: 1_000, spacing: 2_000)
        var observation = Observation()
        observation.segments = frames
        observation.notes = [LabNote(time: 1_500, text: "note: between the SYN and the SYN-ACK")]
        observation.steps = [
            // Nothing else while it ran: one line, where it returned (2_100).
            RoleStep(role: "client", call: "send", text: #"send("haha")"#, isNote: false, began: 2_000,
                     ended: 2_100, returnValue: 4, data: "haha"),
            // The SYN, the note, the send and the SYN-ACK happened while it waited: two lines.
            RoleStep(role: "server", call: "recv", text: "recv()", isNote: false, began: 500,
                     ended: 3_500, returnValue: 4, data: "haha"),
            // Still blocked in accept() since 200: its start is printed, its result is not.
            RoleStep(role: "server", call: "accept", text: "accept()", isNote: false, began: 200),
            RoleStep(role: "server", call: "listening", text: "listening on 127.0.0.1:7777", isNote: true,
                     began: 100, ended: 100),
        ]
        return observation
    }

    @Test func printsInTimeOrder() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        printer.flush(try Self.observation())
        #expect(lines == [
            TimelinePrinter.header,
            "        server  listening on 127.0.0.1:7777",
            "        server  accept() ...",
            "        server  recv() ...",
            Self.synLine,
            "        note: between the SYN and the SYN-ACK",
            #"        client  send("haha") = 4"#,
            Self.synAckLine,
            #"        server  ... recv = 4 "haha""#,
        ])
        #expect(printer.rows.map(\.number) == [1, 2])
    }

    @Test func openCallGetsItsResultLater() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = try Self.observation()
        printer.flush(observation)
        #expect(lines.filter { $0.contains("accept") } == ["        server  accept() ..."])

        lines.removeAll()
        printer.flush(observation)
        #expect(lines.isEmpty, "nothing new, nothing printed")

        observation.steps[2].ended = 4_000
        observation.steps[2].returnValue = 5
        printer.flush(observation)
        #expect(lines == ["        server  ... accept = 5"])
    }

    /// The live case of issue 10: connect() is still running when the flush after the SYN and
    /// the RST comes; its start must be printed above them then, its result below them later.
    @Test func startOfARunningCallIsPrintedAboveWhatFollowedIt() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = Observation()
        observation.steps = [RoleStep(role: "client", call: "connect", text: "connect(127.0.0.1:7777)", isNote: false, began: 900)]
        printer.flush(observation)
        #expect(lines.isEmpty, "a call alone with nothing after it waits")

        observation.segments = try capturedSegments([IPv4Fixtures.syn, IPv4Fixtures.synAck], start: 1_000, spacing: 2_000)
        printer.flush(observation)
        #expect(lines == [TimelinePrinter.header, "        client  connect(127.0.0.1:7777) ...", Self.synLine, Self.synAckLine])

        lines.removeAll()
        observation.steps[0].ended = 3_100
        observation.steps[0].returnValue = -1
        observation.steps[0].errno = 111
        printer.flush(observation)
        #expect(lines == ["        client  ... connect = -1 ECONNREFUSED (Connection refused)"])
    }

    /// A call that returned before a flush but whose report was still in its pipe: its start
    /// went out with the segments after it, so its result follows as a result, not whole.
    @Test func aStartOnceOutIsAlwaysFollowedByAResult() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = Observation()
        observation.steps = [RoleStep(role: "client", call: "close", text: "close()", isNote: false, began: 900)]
        observation.segments = try capturedSegments([IPv4Fixtures.syn], start: 1_000)
        printer.flush(observation)
        #expect(lines.suffix(2) == ["        client  close() ...", Self.synLine])

        lines.removeAll()
        observation.steps[0].ended = 950
        observation.steps[0].returnValue = 0
        printer.flush(observation)
        #expect(lines == ["        client  ... close = 0"])
    }

    @Test func callKilledInsideIsSettled() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = Observation()
        observation.steps = [RoleStep(role: "client", call: "send", text: #"send("wawa")"#, isNote: false, began: 10)]
        printer.flush(observation)
        #expect(lines.isEmpty)
        observation.steps[0].killedBy = .signaled(13)
        observation.steps[0].killedAt = 40
        printer.flush(observation)
        #expect(lines == [TimelinePrinter.header, #"        client  send("wawa") -> killed by SIGPIPE (signal 13)"#])
    }

    @Test func callKilledAfterSegmentsShowsItsStartAndTheKill() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = Observation()
        observation.steps = [RoleStep(role: "client", call: "send", text: #"send("wawa")"#, isNote: false, began: 900,
                                      killedBy: .signaled(13), killedAt: 5_000)]
        observation.segments = try capturedSegments([IPv4Fixtures.syn], start: 1_000)
        printer.flush(observation)
        #expect(lines == [TimelinePrinter.header, #"        client  send("wawa") ..."#, Self.synLine,
                          "        client  ... send -> killed by SIGPIPE (signal 13)"])
    }
}
