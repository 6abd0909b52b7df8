import CPcap
import Glibc

extension RoleSocket {
    /// A server's listening socket, the way every server in the seed posts makes it: socket,
    /// SO_REUSEADDR, bind, listen — each call reported. A failure is reported as the role's error
    /// (`bind 127.0.0.1:7777: address in use …`) and ends the role with status 2.
    /// With `announce`, the `listening` note the lab waits for follows at once.
    public static func listener(
        on address: SocketAddress, backlog: Int32, reporter: RoleReporter, announce: Bool = true
    ) -> RoleSocket {
        let listener: RoleSocket
        do { listener = try RoleSocket.open(for: address.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        listener.setOption(SOL_SOCKET, SO_REUSEADDR, name: "SO_REUSEADDR")
        if let error = listener.bind(address).errno { RoleEnvironment.fail(reporter, BindFailure.message(address, error)) }
        if let error = listener.listen(backlog: backlog).errno {
            RoleEnvironment.fail(reporter, "listen \(address.description): \(error)")
        }
        if announce { listener.announceListening(address) }
        return listener
    }

    /// The `listening on …` note, with the port the kernel actually bound.
    public func announceListening(_ address: SocketAddress) {
        let local = SocketAddress.local(of: fd)?.description ?? address.description
        reporter.note("listening", "listening on \(local)", local: local)
    }

    /// accept() for a server's loop: retried when a signal interrupts it (EINTR); any other
    /// failure is reported as the role's error and ends the role.
    public func acceptNext() -> RoleSocket {
        while true {
            let (connection, accepted) = accept()
            if let connection { return connection }
            if accepted.errno == .interrupted { continue }
            RoleEnvironment.fail(reporter, "accept: \(accepted.errno.map(\.description) ?? "?")")
        }
    }
}
