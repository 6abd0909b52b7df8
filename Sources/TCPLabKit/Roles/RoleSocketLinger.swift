import Glibc

extension RoleSocket {
    /// setsockopt(SO_LINGER, {on, seconds}), reported. With 0 seconds the kernel makes close()
    /// abortive: it discards unsent data and sends an RST instead of a FIN (no TIME_WAIT).
    @discardableResult
    public func setLinger(seconds: Int32) -> CallOutcome {
        reporter.call("setsockopt", "setsockopt(SO_LINGER, {on, \(seconds) s})") {
            var value = linger(l_onoff: 1, l_linger: seconds)
            return .raw(setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size)))
        }
    }
}
