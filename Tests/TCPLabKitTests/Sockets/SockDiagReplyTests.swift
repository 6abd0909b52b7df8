import Glibc
import Testing
@testable import TCPLabKit

/// `SockDiag.parse(reply:)` on netlink datagrams built around the recorded inet_diag_msg payloads
/// of SockDiagTests, including the inputs that once trapped it (Fuzz/corpus/sockdiag/error-*).
@Suite struct SockDiagReplyTests {
    /// One netlink message: nlmsghdr (nlmsg_len, nlmsg_type, nlmsg_flags NLM_F_MULTI, nlmsg_seq 1,
    /// nlmsg_pid 0; host order) + payload, padded to 4 bytes as NLMSG_ALIGN does.
    static func message(type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append(UInt32(16 + payload.count))  // nlmsg_len: header + payload, before padding
        append(type)                        // nlmsg_type: 20 SOCK_DIAG_BY_FAMILY, 3 DONE, 2 ERROR
        append(UInt16(2))                   // nlmsg_flags: NLM_F_MULTI
        append(UInt32(1))                   // nlmsg_seq
        append(UInt32(0))                   // nlmsg_pid: from the kernel
        return bytes + payload + [UInt8](repeating: 0, count: (4 - payload.count % 4) % 4)
    }

    static func errorCode(_ code: Int32) -> [UInt8] { withUnsafeBytes(of: code.littleEndian) { Array($0) } }
    static let listener = message(type: 20, SockDiagTests.bytes(SockDiagTests.listener))
    static let accepted = message(type: 20, SockDiagTests.bytes(SockDiagTests.accepted))
    static let done = message(type: 3, errorCode(0))

    @Test func socketsThenDone() throws {
        let reply = try SockDiag.parse(reply: ArraySlice(Self.listener + Self.accepted + Self.done))
        #expect(reply.isDone)
        #expect(reply.entries.map(\.state) == [.listen, .established])
        #expect(reply.entries.map(\.local) == ["127.0.0.1:7777", "127.0.0.1:7777"])
    }

    @Test func aDatagramWithoutDoneAsksForMore() throws {
        let reply = try SockDiag.parse(reply: ArraySlice(Self.listener))
        #expect(!reply.isDone && reply.entries.count == 1)
        #expect(try SockDiag.parse(reply: []) == SockDiag.Reply(entries: [], isDone: false))
    }

    @Test func errorCarriesTheErrno() {
        let error = #expect(throws: ProcNetTCPError.self) {
            try SockDiag.parse(reply: ArraySlice(Self.message(type: 2, Self.errorCode(-EPERM))))
        }
        #expect(error == .unreadable(path: "netlink sock_diag", reason: Errno(rawValue: EPERM).message))
    }

    /// Regression (found by review, confirmed with the sockdiag fuzz binary): a 16-byte
    /// NLMSG_ERROR at the end of the datagram made the parser read its error code past the end.
    @Test func errorWithoutRoomForItsCodeIsMalformed() {
        let error = #expect(throws: ProcNetTCPError.self) { try SockDiag.parse(reply: ArraySlice(Self.message(type: 2, []))) }
        #expect(error?.description == "cannot read netlink sock_diag: malformed reply: an NLMSG_ERROR of 16 bytes has no error code")
    }

    /// Regression: negating an error code of INT32_MIN overflowed and trapped.
    @Test func errorCodeInt32MinDoesNotTrap() {
        #expect(throws: ProcNetTCPError.self) { try SockDiag.parse(reply: ArraySlice(Self.message(type: 2, Self.errorCode(.min)))) }
    }

    @Test(arguments: [UInt32(0), 15, 200])
    func messageLengthOutsideTheDatagramIsMalformed(length: UInt32) {
        var bytes = Self.listener
        withUnsafeBytes(of: length.littleEndian) { bytes.replaceSubrange(0..<4, with: $0) }
        let error = #expect(throws: ProcNetTCPError.self) { try SockDiag.parse(reply: ArraySlice(bytes)) }
        #expect(error?.description.contains("the message at byte 0 says it is \(length) bytes long, but 88 bytes are left") == true)
    }

    @Test func otherMessageTypesAndShortTrailersAreSkipped() throws {
        let reply = try SockDiag.parse(reply: ArraySlice(Self.message(type: 99, [1, 2, 3, 4]) + Self.listener + [0, 0, 0, 0]))
        #expect(!reply.isDone && reply.entries.count == 1)
    }
}
