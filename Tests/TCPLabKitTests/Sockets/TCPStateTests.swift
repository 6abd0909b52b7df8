import Testing
@testable import TCPLabKit

@Suite struct TCPStateTests {
    @Test func kernelCodesAndNames() {
        #expect(TCPState.allCases.map(\.rawValue) == Array(1...11))
        #expect(TCPState.allCases.map(\.name) == [
            "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
        ])
        #expect(TCPState.allCases.map(\.ssName) == [
            "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
            "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
        ])
        #expect(TCPState(rawValue: 12) == nil)   // TCP_NEW_SYN_RECV
        #expect(TCPState(rawValue: 0) == nil)
    }
}
