import Foundation
import Glibc
import Testing
@testable import TCPLabKit

/// The `why` lines of `tcplab watch`, found in evidence recorded from real runs (WatchRecordings):
/// each story on its recording, and not on the same recording doctored so that one piece of
/// its evidence says otherwise.
///
/// The recorded programs (Python, which ignores SIGPIPE, so sends fail with EPIPE):
/// - unread: a client sends "hehe"; the server waits (select) until it has arrived, never reads
///   it and close()s; the client's recv() then fails.
/// - pipe: the server close()s at once; the client reads the EOF, sends "hehe", then "wawa"
///   until EPIPE.
/// - refused: connect() to a port nobody listens on.
@Suite struct WatchExplanationTests {
    struct Recording: Decodable {
        var segments: [SegmentRow]
        var calls: [RoleStep]

        init(_ text: String) throws { self = try JSONDecoder().decode(Recording.self, from: Data(text.utf8)) }

        var stories: [WatchStory] { WatchExplanation.find(steps: calls, segments: segments).map(\.story) }

        /// The index of the first call whose text is `text`.
        func call(_ text: String) throws -> Int { try #require(calls.firstIndex { $0.text == text }, "no call \(text)") }
    }

    @Test func closeWithUnreadDataSendsAnRSTAndTheClientsRecvIsReset() throws {
        let run = try Recording(WatchRecordings.unread)
        #expect(run.stories == [
            .resetOnCloseWithUnreadData(role: "pid 14375", close: "close(5)", unread: [4], reset: 6, unreadBytes: 4, receivedBytes: 4),
            .resetByPeer(role: "pid 14375", call: "recv()", reset: 6, from: "127.0.0.1:7777"),
        ])
        #expect(run.stories.first?.line.hasPrefix("pid 14375's close(5) sent RST #6 instead of a FIN: the 4 bytes of #4 were never read") == true)
    }

    @Test func closeAfterReadingEverythingIsNoUnreadStory() throws {
        // Doctored: the server read "hehe" after it arrived and before its close().
        var run = try Recording(WatchRecordings.unread)
        let close = run.calls[try run.call("close(5)")]
        let data = try #require(run.segments.first { $0.number == 4 })
        var read = close
        read.call = "recv"
        read.text = "recv()"
        read.began = data.time + 1
        read.ended = data.time + 2
        read.returnValue = 4
        read.data = "hehe"
        run.calls.insert(read, at: try run.call("close(5)"))
        #expect(!run.stories.contains { if case .resetOnCloseWithUnreadData = $0 { true } else { false } }, "\(run.stories)")
        #expect(run.stories.contains { if case .resetByPeer = $0 { true } else { false } })
    }

    /// The unread recording doctored: #4 brought 8 bytes ("hehewawa"), and the server's recv(4)
    /// before its close() returned `returned` of them.
    static func partlyRead(returned: Int) throws -> Recording {
        var run = try Recording(WatchRecordings.unread)
        let data = try #require(run.segments.firstIndex { $0.number == 4 })
        run.segments[data].length = 8
        let close = try run.call("close(5)")
        var read = run.calls[close]
        read.call = "recv"
        read.text = "recv()"
        read.began = run.segments[data].time + 1
        read.ended = run.segments[data].time + 2
        read.returnValue = returned
        read.data = String("hehewawa".prefix(returned))
        run.calls.insert(read, at: close)
        return run
    }

    @Test func aRecvThatReadPartOfTheQueuedBytesLeavesTheRestUnread() throws {
        let run = try Self.partlyRead(returned: 4)
        #expect(run.stories.first == .resetOnCloseWithUnreadData(
            role: "pid 14375", close: "close(5)", unread: [4], reset: 6, unreadBytes: 4, receivedBytes: 8), "\(run.stories)")
        #expect(run.stories.first?.line.contains("4 of the 8 bytes that came (in #4) were never read") == true, "\(run.stories)")
    }

    @Test func aRecvThatReadEveryQueuedByteIsNoUnreadStory() throws {
        let run = try Self.partlyRead(returned: 8)
        #expect(!run.stories.contains { if case .resetOnCloseWithUnreadData = $0 { true } else { false } }, "\(run.stories)")
    }

    @Test func onlyTheSegmentsHoldingUnreadBytesAreNamed() throws {
        // Doctored: #4 split into two segments of 4 bytes ("hehe", then "wawa" as #5); recv() read 4.
        var run = try Self.partlyRead(returned: 4)
        let data = try #require(run.segments.firstIndex { $0.number == 4 })
        run.segments[data].length = 4
        var second = run.segments[data]
        second.number = 5
        second.sequence = run.segments[data].sequence + 4
        second.time += 1
        for index in run.segments.indices where run.segments[index].number >= 5 { run.segments[index].number += 1 }
        run.segments.insert(second, at: data + 1)
        #expect(run.stories.first == .resetOnCloseWithUnreadData(
            role: "pid 14375", close: "close(5)", unread: [5], reset: 7, unreadBytes: 4, receivedBytes: 8), "\(run.stories)")
    }

    @Test func aFinInsteadOfTheRSTIsNoStory() throws {
        // Doctored: the server's close sent a FIN; the client's recv() returned 0.
        var run = try Recording(WatchRecordings.unread)
        let reset = try #require(run.segments.firstIndex { $0.flags.contains("R") })
        run.segments[reset].flags = "F."
        let recv = try run.call("recv()")
        run.calls[recv].errno = nil
        run.calls[recv].returnValue = 0
        #expect(run.stories.isEmpty, "\(run.stories)")
    }

    @Test func aRecvThatSucceededIsNoResetStory() throws {
        var run = try Recording(WatchRecordings.unread)
        let recv = try run.call("recv()")
        run.calls[recv].errno = nil
        run.calls[recv].returnValue = 0
        #expect(!run.stories.contains { if case .resetByPeer = $0 { true } else { false } }, "\(run.stories)")
    }

    @Test func sendAfterTheResetFailsWithEPIPE() throws {
        let run = try Recording(WatchRecordings.pipe)
        #expect(run.stories == [
            .sendAfterReset(role: "pid 14398", send: "send(\"wawa\")", signal: .received, fin: 4, data: 5, reset: 6),
        ])
        #expect(run.stories.first?.line.contains("failed with EPIPE and raised SIGPIPE: FIN #4") == true)
    }

    @Test func withoutAnRSTAnEPIPEIsNoResetStory() throws {
        // Doctored: the segment that was the RST is a plain ACK (EPIPE then came from elsewhere,
        // e.g. the program's own shutdown(SHUT_WR)).
        var run = try Recording(WatchRecordings.pipe)
        let reset = try #require(run.segments.firstIndex { $0.flags.contains("R") })
        run.segments[reset].flags = "."
        #expect(run.stories.isEmpty, "\(run.stories)")
    }

    @Test func aConnectAnsweredByAnRSTIsRefused() throws {
        let run = try Recording(WatchRecordings.refused)
        #expect(run.stories == [
            .connectRefused(role: "pid 14433", connect: "connect(127.0.0.1:7777)", syn: 1, reset: 2, port: "127.0.0.1:7777"),
        ])
    }

    @Test func anRSTThatDoesNotAcknowledgeTheSYNIsNoRefusal() throws {
        var run = try Recording(WatchRecordings.refused)
        let reset = try #require(run.segments.firstIndex { $0.flags.contains("R") })
        run.segments[reset].acknowledgment = 7
        #expect(run.stories.isEmpty, "\(run.stories)")
    }

    @Test func eachStoryIsOneLine() throws {
        for text in [WatchRecordings.unread, WatchRecordings.pipe, WatchRecordings.refused] {
            for story in try Recording(text).stories { #expect(!story.line.contains("\n")) }
        }
    }
}
