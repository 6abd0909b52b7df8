import Testing
@testable import TCPLabKit

@Suite struct SocketTimerTests {
    /// Durations as iproute2's print_ms_timer() prints them since 6.11, one or more per range:
    /// under a second, 1–10 s (with and without milliseconds), 10 s–1 min, 1–10 min, 10 min and
    /// more. The 1–10 s values are from the fix's own commit message (3e807112: `9.501sec`,
    /// `8.990sec`, `7.865sec`, `1.098sec`, `476ms`, `10sec`); the others from `ss -tano` on this
    /// kernel (the same text in ss 6.1 and now: those ranges did not change).
    @Test(arguments: [
        (UInt64(0), ""), (3, "003ms"), (40, "040ms"), (316, "316ms"), (476, "476ms"), (999, "999ms"),
        (1_000, "1sec"), (1_098, "1.098sec"), (4_696, "4.696sec"), (7_000, "7sec"), (7_865, "7.865sec"),
        (8_990, "8.990sec"), (9_501, "9.501sec"), (9_999, "9.999sec"),
        (10_000, "10sec"), (10_500, "10sec"), (59_440, "59sec"),
        (60_000, "1min"), (60_999, "1min"), (74_330, "1min14sec"), (599_999, "9min59sec"),
        (600_000, "10min"), (699_690, "11min"), (7_200_000, "120min"),
    ])
    func ssDurations(milliseconds: UInt64, text: String) {
        #expect(SocketTimer.ssDuration(milliseconds: milliseconds) == text)
    }

    /// What iproute2 6.1 to 6.10 printed for 1–10 s, and tcplab copied: the seconds' digits
    /// with `ms`, as if it were milliseconds. The fix keeps the digits and says `sec`.
    @Test(arguments: [(UInt64(7_210), "7.210ms"), (9_373, "9.373ms"), (1_574, "1.574ms")])
    func theOldOneToTenSecondsBugIsGone(milliseconds: UInt64, old: String) {
        let text = SocketTimer.ssDuration(milliseconds: milliseconds)
        #expect(text != old)
        #expect(text == old.dropLast(2) + "sec")
    }

    @Test func ssTextPicksTheCountSsShows() {
        #expect(SocketTimer.none.ssText == "")
        let retransmit = SocketTimer(kind: .retransmit, expiresInHundredths: 150, retransmits: 3, probes: 9)
        #expect(retransmit.ssText == "timer:(on,1.500sec,3)")
        let persist = SocketTimer(kind: .zeroWindowProbe, expiresInHundredths: 20, retransmits: 0, probes: 2)
        #expect(persist.ssText == "timer:(persist,200ms,2)")
        let huge = SocketTimer(kind: .keepalive, expiresInHundredths: .max, retransmits: 0)
        #expect(huge.ssText.hasPrefix("timer:(keepalive,"))
    }

    /// Every timer kind uses the same durations; sock_diag's milliseconds win over /proc's hundredths.
    @Test(arguments: [
        (SocketTimer.Kind.retransmit, "on"), (.keepalive, "keepalive"), (.timeWait, "timewait"),
        (.zeroWindowProbe, "persist"), (.delayedAck, "delack"), (.unknown, "unknown"),
    ])
    func everyKindInEveryRange(kind: SocketTimer.Kind, name: String) {
        for (ms, text) in [(UInt64(316), "316ms"), (7_213, "7.213sec"), (59_440, "59sec"), (74_330, "1min14sec")] {
            let fromNetlink = SocketTimer(kind: kind, expiresInHundredths: ms / 10, retransmits: 0, expiresInMilliseconds: ms)
            #expect(fromNetlink.ssText == "timer:(\(name),\(text),0)")
        }
        let fromProc = SocketTimer(kind: kind, expiresInHundredths: 721, retransmits: 0)
        #expect(fromProc.milliseconds == 7_210 && fromProc.ssText == "timer:(\(name),7.210sec,0)")
    }

    @Test func kindCodes() {
        #expect(SocketTimer.Kind(code: 4) == .zeroWindowProbe)
        #expect(SocketTimer.Kind(code: 5) == .delayedAck)
        #expect(SocketTimer.Kind(code: 6) == .unknown)
        #expect(SocketTimer.Kind(code: 200) == .unknown)
        #expect(SocketTimer.Kind.timeWait.ssName == "timewait")
    }
}
