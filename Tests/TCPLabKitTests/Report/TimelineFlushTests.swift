import Testing
@testable import TCPLabKit

/// `TimelinePrinter.flush`: segments, steps and notes come out in time order, each once, and
/// a call is held back until it has returned.
@Suite struct TimelineFlushTests {
    /// Times in microseconds; the first segment is at 1_000.
    static func observation() throws -> Observation {
        let frames = try capturedSegments([IPv4Fixtures.syn, IPv4Fixtures.synAck], start: 1_000, spacing: 2_000)
        var observation = Observation()
        observation.segments = frames  // #1 at 1_000, #2 at 3_000
        observation.notes = [LabNote(time: 1_500, text: "note: between the SYN and the SYN-ACK")]
        observation.steps = [
            // Placed at its start (2_000), before the SYN-ACK.
            RoleStep(role: "client", call: "send", text: #"send("haha")"#, isNote: false, began: 2_000,
                     ended: 2_100, returnValue: 4, data: "haha"),
            // A recv is placed when it returned (3_500), after the SYN-ACK though it began first.
            RoleStep(role: "server", call: "recv", text: "recv()", isNote: false, began: 500,
                     ended: 3_500, returnValue: 4, data: "haha"),
            // Still blocked in accept(): not printed yet.
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
            "   1  0.000     C > S   S      0                    0  65495   SYN  mss 65495, sackOK, TS val 1320722789 ecr 0, wscale 10",
            "        note: between the SYN and the SYN-ACK",
            #"        client  send("haha") = 4"#,
            "   2  2.000     S > C   S.     0          1         0  65483   SYN-ACK  mss 65495, sackOK, TS val 1797274769 ecr 1320722789, wscale 10",
            #"        server  recv() = 4 "haha""#,
        ])
        #expect(printer.rows.map(\.number) == [1, 2])
    }

    @Test func openCallWaitsUntilSettled() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = try Self.observation()
        printer.flush(observation)
        #expect(!lines.contains { $0.contains("accept()") })

        lines.removeAll()
        printer.flush(observation)
        #expect(lines.isEmpty, "nothing new, nothing printed")

        observation.steps[2].ended = 4_000
        observation.steps[2].returnValue = 5
        printer.flush(observation)
        #expect(lines == ["        server  accept() = 5"])
    }

    @Test func callKilledInsideIsSettled() throws {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        var observation = Observation()
        observation.steps = [RoleStep(role: "client", call: "send", text: #"send("wawa")"#, isNote: false, began: 10)]
        printer.flush(observation)
        #expect(lines.isEmpty)
        observation.steps[0].killedBy = .signaled(13)
        printer.flush(observation)
        #expect(lines == [TimelinePrinter.header, #"        client  send("wawa") -> killed by SIGPIPE (signal 13)"#])
    }
}
