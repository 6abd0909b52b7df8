import CURingShim
import Glibc

/// The asynchronous model, with io_uring (io_uring(7), through liburing): the server queues a
/// read of the socket and submits it, then does other work; the kernel performs the read when
/// data arrives and posts a completion, which the main loop picks up between work units
/// (io_uring_peek_cqe). No call of the server ever waits for the data.
struct AsyncWait {
    let connection: RoleSocket
    let reporter: RoleReporter
    let ring: OpaquePointer?

    func receive() -> CallOutcome {
        guard let ring else { RoleEnvironment.fail(reporter, "no io_uring") }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: IOModelServer.readSize, alignment: 8)
        defer { buffer.deallocate() }
        let length = UInt32(IOModelServer.readSize)
        let submitted = reporter.call(IOModelCall.submit, "io_uring_submit(read fd \(connection.fd), \(length) bytes)") {
            let result = tcplab_uring_submit_read(ring, connection.fd, buffer, length)
            return result < 0 ? CallOutcome(returnValue: -1, errno: Errno(rawValue: -result)) : CallOutcome(returnValue: Int(result))
        }
        if let error = submitted.errno { RoleEnvironment.fail(reporter, "io_uring_submit: \(error)") }
        reporter.note(IOModelCall.waiting, "does other work (1 ms units), checking for the completion after each")
        var work = WorkUnits()
        let deadline = WallClock.nowMicroseconds() + IOModelServer.giveUpAfterMicroseconds
        var result: Int32 = 0
        while WallClock.nowMicroseconds() < deadline {
            guard tcplab_uring_peek(ring, &result) == 1 else {
                work.doOne()
                continue
            }
            let now = WallClock.nowMicroseconds()
            reporter.note(IOModelCall.work, "main loop: \(work.count) units of other work done so far", at: now, value: work.count)
            let data = result > 0 ? String(decoding: UnsafeRawBufferPointer(start: buffer, count: Int(result)), as: UTF8.self) : nil
            let errno = result < 0 ? Errno(rawValue: -result) : nil
            reporter.note(IOModelCall.completion, "completion res=\(result)" + (data.map { " \(quoted($0))" } ?? ""),
                          at: now, value: Int(result), errno: errno, data: data)
            return CallOutcome(returnValue: result < 0 ? -1 : Int(result), errno: errno, data: data)
        }
        reporter.note(IOModelCall.work, "main loop: \(work.count) units of other work, and no completion in 10 s", at: WallClock.nowMicroseconds(),
                      value: work.count)
        return CallOutcome(returnValue: -1, errno: .wouldBlock)
    }
}
