import Testing
@testable import TCPLabKit

/// `tcplab decode` names each connection's endpoints on a line before its first segment, so
/// `C2 > S` can be read when a capture holds several servers.
@Suite struct ConnectionLineTests {
    @Test func severalServersAreNamed() throws {
        let text = DecodeTextView.text(try trackingDecoding("several-servers").rows, absolute: false)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "      connection 1: C = 10.0.0.1:40000, S = 10.0.0.2:80")
        #expect(lines[3] == "      connection 2: C2 = 10.0.0.1:40001, S = 10.0.0.3:443")
        #expect(lines.filter { $0.hasPrefix("      connection ") }.count == 2, "each connection once")
    }

    /// Named from the client's side even when the server's segment comes first.
    @Test func serverFirstIsNamedTheSameWay() throws {
        let text = DecodeTextView.text(try trackingDecoding("midstream-relative-seq-0").rows, absolute: false)
        #expect(text.contains("      connection 1: C = 10.114.101.120:5767, S = 10.21.11.94:80\n   1  "))
    }

    @Test func theReusedPortsAreANewConnectionLine() throws {
        let text = DecodeTextView.text(try trackingDecoding("port-reuse-new-connection").rows, absolute: false)
        #expect(text.contains("      connection 2: C2 = 127.0.0.1:40000, S = 127.0.0.1:5003\n  11  "))
    }
}
