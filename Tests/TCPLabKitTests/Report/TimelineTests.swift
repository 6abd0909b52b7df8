import Testing
@testable import TCPLabKit

/// The order rule itself (`Timeline`), on times alone: where each call's lines go.
@Suite struct TimelineTests {
    static func call(_ began: Int64, _ ended: Int64?, role: String = "client") -> RoleStep {
        RoleStep(role: role, call: "connect", text: "connect()", isNote: false, began: began, ended: ended,
                 returnValue: ended == nil ? nil : 0)
    }

    @Test func aCallWithNothingDuringItIsOneLineWhereItReturned() {
        let timeline = Timeline(steps: [Self.call(100, 200)], segments: [50, 300])
        #expect(timeline.entries == [
            .init(time: 50, event: .segment(0)), .init(time: 200, event: .step(0, .whole)), .init(time: 300, event: .segment(1)),
        ])
    }

    @Test func aCallWithASegmentDuringItIsTwoLines() {
        let timeline = Timeline(steps: [Self.call(100, 200)], segments: [150])
        #expect(timeline.entries.map(\.event) == [.step(0, .begin), .segment(0), .step(0, .result)])
        #expect(timeline.entries.map(\.time) == [100, 150, 200])
    }

    @Test(arguments: ["note", "snapshot", "end"])
    func anyOtherLineDuringItSplitsItToo(kind: String) {
        let timeline = Timeline(steps: [Self.call(100, 200)], notes: kind == "note" ? [150] : [],
                                snapshots: kind == "snapshot" ? [150] : [], ends: kind == "end" ? [150] : [])
        #expect(timeline.entries.first?.event == .step(0, .begin))
        #expect(timeline.entries.last?.event == .step(0, .result))
    }

    /// As strace -f: another process's call starting or returning in between splits a call.
    @Test func overlappingCallsSplitEachOther() {
        let timeline = Timeline(steps: [Self.call(100, 300), Self.call(200, 400, role: "server")])
        #expect(timeline.entries.map(\.event) == [.step(0, .begin), .step(1, .begin), .step(0, .result), .step(1, .result)])
        let nested = Timeline(steps: [Self.call(100, 400), Self.call(200, 300, role: "server")])
        #expect(nested.entries.map(\.event) == [.step(0, .begin), .step(1, .whole), .step(0, .result)])
    }

    @Test func somethingAtTheSameMicrosecondDoesNotSplit() {
        let timeline = Timeline(steps: [Self.call(100, 200)], segments: [100, 200])
        #expect(timeline.entries.map(\.event) == [.segment(0), .segment(1), .step(0, .whole)],
                "a result comes after a segment of the same time")
    }

    @Test func notesStayAtTheirTime() {
        let note = RoleStep(role: "client", call: "print", text: "connected", isNote: true, began: 120, ended: 120)
        let timeline = Timeline(steps: [note], segments: [100, 150])
        #expect(timeline.entries.map(\.event) == [.segment(0), .step(0, .whole), .segment(1)])
    }

    @Test func aRunningCallShowsItsStartOnlyOnceSomethingFollows() {
        #expect(Timeline(steps: [Self.call(100, nil)], segments: [50]).entries.map(\.event) == [.segment(0)])
        #expect(Timeline(steps: [Self.call(100, nil)], segments: [150]).entries.map(\.event) == [.step(0, .begin), .segment(0)])
    }

    @Test func aKilledCallEndsWhereTheRoleWasReaped() {
        var killed = Self.call(100, nil)
        killed.killedBy = .signaled(13)
        killed.killedAt = 300
        #expect(Timeline(steps: [killed], segments: [200]).entries.map(\.time) == [100, 200, 300])
        #expect(Timeline(steps: [killed], segments: [400]).entries.map(\.event) == [.step(0, .whole), .segment(0)])
    }
}
