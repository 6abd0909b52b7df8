import Testing
@testable import TCPLabKit

@Suite struct IPAddressTests {
    @Test func formatsAndParsesLoopbacks() {
        #expect(IPAddress.loopbackV4.description == "127.0.0.1")
        #expect(IPAddress.loopbackV6.description == "::1")
        #expect(IPAddress("::1") == .loopbackV6)
        #expect(IPAddress("fe80::1:2")?.description == "fe80::1:2")
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress.loopbackV6.endpoint(port: 7777) == "[::1]:7777")
    }
}
