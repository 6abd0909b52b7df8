import CPcap
import Testing
@testable import TCPLabKit

/// `tcplab doctor` shows a failed capture's message as the check's detail, without the message's
/// own pointer back to `tcplab doctor`; the same message elsewhere keeps it.
@Suite struct DoctorDetailTests {
    @Test func theDoctorDoesNotSendTheStudentToItself() {
        let message = CaptureProblem.explain(status: PCAP_ERROR_PERM_DENIED, interface: "lo", detail: "")
        #expect(message.hasSuffix("see `tcplab doctor`"))
        let detail = Doctor.detail(of: LabError.capture(message).description)
        #expect(!detail.contains("tcplab doctor") && detail.hasPrefix("not permitted to capture on lo"), "\(detail)")
        #expect(Doctor.detail(of: "no interface lo to capture on (x)") == "no interface lo to capture on (x)")
    }
}
