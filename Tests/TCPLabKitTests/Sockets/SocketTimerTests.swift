import Testing
@testable import TCPLabKit

@Suite struct SocketTimerTests {
    /// Durations as iproute2 6.1's print_ms_timer() prints them (checked against `ss -tano` here).
    @Test(arguments: [
        (UInt64(0), ""), (40, "040ms"), (316, "316ms"), (1_000, "1sec"), (4_696, "4.696ms"),
        (9_990, "9.990ms"), (10_500, "10sec"), (59_440, "59sec"), (60_000, "1min"),
        (74_330, "1min14sec"), (699_690, "11min"), (7_200_000, "120min"),
    ])
    func ssDurations(milliseconds: UInt64, text: String) {
        #expect(SocketTimer.ssDuration(milliseconds: milliseconds) == text)
    }

    @Test func ssTextPicksTheCountSsShows() {
        #expect(SocketTimer.none.ssText == "")
        let retransmit = SocketTimer(kind: .retransmit, expiresInHundredths: 150, retransmits: 3, probes: 9)
        #expect(retransmit.ssText == "timer:(on,1.500ms,3)")
        let persist = SocketTimer(kind: .zeroWindowProbe, expiresInHundredths: 20, retransmits: 0, probes: 2)
        #expect(persist.ssText == "timer:(persist,200ms,2)")
        let huge = SocketTimer(kind: .keepalive, expiresInHundredths: .max, retransmits: 0)
        #expect(huge.ssText.hasPrefix("timer:(keepalive,"))
    }

    @Test func kindCodes() {
        #expect(SocketTimer.Kind(code: 4) == .zeroWindowProbe)
        #expect(SocketTimer.Kind(code: 5) == .unknown)
        #expect(SocketTimer.Kind(code: 200) == .unknown)
        #expect(SocketTimer.Kind.timeWait.ssName == "timewait")
    }
}
