import Testing
@testable import TCPLabKit

/// The error a student gets when a live run cannot capture: where user namespaces are forbidden
/// it must say so and offer the privilege-free replay.
@Suite struct LiveRunAdviceTests {
    // -8 is PCAP_ERROR_PERM_DENIED: what pcap_activate returns without CAP_NET_RAW.
    static let denied = LabError.capture(CaptureProblem.explain(status: -8, interface: "lo", detail: ""))
    static let forbidden = NetworkIsolation.hostLoopback(
        reason: "cannot create a network namespace: operation not permitted; nor a user namespace: operation not permitted")

    @Test func forbiddenUserNamespacesOfferReplay() {
        let message = LiveRunAdvice.message(for: Self.denied, isolation: Self.forbidden, scenario: "broken-pipe", variant: "default")
        #expect(message == "not permitted to capture: capturing needs root (CAP_NET_RAW), and this kernel does not allow "
            + "unprivileged user namespaces, in which tcplab would capture on a private network of its own "
            + "(cannot create a network namespace: operation not permitted; nor a user namespace: operation not permitted). "
            + "Run as root (sudo tcplab …), or watch the recorded run without any privilege, "
            + "its claims checked again from the capture: tcplab scenario broken-pipe --variant default --replay")
    }

    @Test func otherCaptureProblemsStillOfferReplay() {
        let message = LiveRunAdvice.message(
            for: .capture("no interface lo to capture on (gone)"), isolation: Self.forbidden, scenario: "nagle", variant: "nodelay")
        #expect(message.hasPrefix("no interface lo to capture on (gone) (no private namespace either: cannot create"))
        #expect(message.hasSuffix("tcplab scenario nagle --variant nodelay --replay"))
    }

    @Test(arguments: [NetworkIsolation.hostLoopback(reason: "--host-loopback"), .privateNamespace, .userNamespace])
    func otherwiseTheCaptureErrorIsUnchanged(isolation: NetworkIsolation) {
        #expect(LiveRunAdvice.message(for: Self.denied, isolation: isolation, scenario: "broken-pipe", variant: "default")
            == Self.denied.description)
    }

    @Test func errorsOtherThanCaptureAreUnchanged() {
        let error = LabError.role("bind 127.0.0.1:7777: address in use")
        #expect(LiveRunAdvice.message(for: error, isolation: Self.forbidden, scenario: "broken-pipe", variant: "default")
            == error.description)
    }
}
