import Glibc

/// The client of the nagle story: an interactive session where each keystroke is its own write.
///
/// It connects (with TCP_NODELAY when asked), then for each command `type TEXT` on its standard
/// input calls send() once per byte of TEXT, back to back, the way a terminal program writes
/// keystrokes; then it reads until every byte has come back from the echo server and notes
/// `echoed`. Whether those one-byte writes leave as one segment each or coalesced is up to the
/// kernel: Nagle's algorithm holds a small segment while an earlier one is unacknowledged.
public struct KeystrokeClient {
    public var server: SocketAddress
    public var noDelay: Bool

    public init(server: SocketAddress, noDelay: Bool) {
        self.server = server
        self.noDelay = noDelay
    }

    /// Runs the session until its input ends; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        if noDelay {
            if let error = socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, name: "TCP_NODELAY").errno {
                RoleEnvironment.fail(reporter, "setsockopt(TCP_NODELAY): \(error)")
            }
        }
        if let error = socket.connect(server).errno {
            RoleEnvironment.fail(reporter, "connect \(server.description): \(error)")
        }
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            guard line.hasPrefix("type ") else { continue }
            let text = Array(line.dropFirst(5).utf8)
            for byte in text {
                let sent = socket.send(String(decoding: [byte], as: UTF8.self))
                if let error = sent.errno { RoleEnvironment.fail(reporter, "send: \(error)") }
            }
            var echoed = 0
            var reply = ""
            while echoed < text.count {
                let received = socket.receive()
                guard received.returnValue > 0 else {
                    RoleEnvironment.fail(reporter, "the echo stopped after \(echoed) of \(text.count) bytes: \(received.errno.map(\.description) ?? "EOF")")
                }
                echoed += received.returnValue
                reply += received.data ?? ""
            }
            reporter.note("echoed", "all \(echoed) bytes echoed: \(quoted(reply))")
        }
        socket.close()
        exit(0)
    }
}
