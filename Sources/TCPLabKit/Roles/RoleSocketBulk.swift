// CPcap: its headers pull in <sys/socket.h>, where MSG_NOSIGNAL is found (as in RoleSocket.swift).
import CPcap
import Glibc

/// The calls of the flow-control story: buffer sizes, bulk writes and reads reported by their
/// byte counts (the bytes themselves would fill the timeline), non-blocking mode and poll().
extension RoleSocket {
    /// setsockopt(SO_SNDBUF or SO_RCVBUF, bytes), reported. The kernel doubles the value for its
    /// bookkeeping overhead (socket(7)); on a listener, SO_RCVBUF set before listen() is inherited
    /// by accepted sockets and sizes the window the SYN-ACK offers.
    @discardableResult
    public func setBufferSize(_ option: BufferOption, bytes: Int32) -> CallOutcome {
        setOption(SOL_SOCKET, option.code, name: option.rawValue, value: bytes)
    }

    /// Which buffer `setBufferSize` sizes.
    public enum BufferOption: String, Sendable {
        case send = "SO_SNDBUF"
        case receive = "SO_RCVBUF"

        var code: Int32 { self == .send ? SO_SNDBUF : SO_RCVBUF }
    }

    /// send(2) of `count` bytes of `x`, reported as `send(16384 bytes)` with no payload preview:
    /// on a blocking socket it returns once every byte is in the kernel's send buffer; on a
    /// non-blocking one it returns what fitted, or -1 EAGAIN when nothing did.
    @discardableResult
    public func sendBulk(_ count: Int) -> CallOutcome {
        reporter.call("send", "send(\(count) bytes)") {
            let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: count)
            return .raw(Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL)))
        }
    }

    /// recv(2) of `count` bytes with MSG_WAITALL: it returns once all have arrived (or at EOF or
    /// an error), reported as `recv(16384, MSG_WAITALL)` with the count, not the bytes. While it
    /// waits, the kernel hands over what has arrived and opens the window again.
    @discardableResult
    public func receiveAll(_ count: Int) -> CallOutcome {
        reporter.call("recv", "recv(\(count), MSG_WAITALL)") {
            var buffer = [UInt8](repeating: 0, count: count)
            return .raw(recv(fd, &buffer, count, Int32(MSG_WAITALL)))
        }
    }

    /// fcntl(F_SETFL, O_NONBLOCK), reported: from now on a call that would wait returns EAGAIN.
    @discardableResult
    public func setNonBlocking() -> CallOutcome {
        reporter.call("fcntl", "fcntl(F_SETFL, O_NONBLOCK)") {
            .raw(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
        }
    }

    /// poll(2) for POLLOUT with no timeout, reported: it returns once the send buffer has room
    /// again (tcp_poll: a third of it free), which on a closed window means after the peer's
    /// window update and the ACKs that follow.
    @discardableResult
    public func pollWritable() -> CallOutcome {
        reporter.call("poll", "poll(POLLOUT)") {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            return .raw(poll(&entry, 1, -1))
        }
    }
}
