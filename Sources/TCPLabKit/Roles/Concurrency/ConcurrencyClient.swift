import Glibc

/// One of the many clients of the concurrency scenario. It does nothing on its own: the lab
/// sends it commands on standard input, so the order in which clients talk is forced by the lab,
/// not left to timing.
///
/// Commands: `connect`; `send TEXT` (sends TEXT and a newline, does not wait); `recv` (reads
/// until one whole reply line is in, noted as `reply`); `close`.
public struct ConcurrencyClient {
    public var server: SocketAddress

    public init(server: SocketAddress) { self.server = server }

    /// Runs the commands until `close` or the end of input; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        var input = LineReader(fd: 0)
        var replies = LineBuffer()
        var waiting: [String] = []
        var ended = false
        while let command = input.nextLine() {
            if command == "connect" {
                if let error = socket.connect(server).errno {
                    reporter.note("print", "connect \(server.description): \(error.message)")
                    exit(1)
                }
            } else if command.hasPrefix("send ") {
                socket.send(String(command.dropFirst(5)) + "\n")
            } else if command == "recv" {
                // A reply may already be here: one recv() can bring two lines.
                while waiting.isEmpty, !ended {
                    let received = socket.receive()
                    if received.errno == .interrupted { continue }
                    if let error = received.errno {
                        reporter.note("print", "recv: [Errno \(error.rawValue)] \(error.message)")
                        ended = true
                    } else if received.returnValue == 0 {
                        reporter.note("print", "the server closed the connection")
                        ended = true
                    } else {
                        waiting += replies.append(received.data ?? "")
                    }
                }
                if !waiting.isEmpty {
                    let line = waiting.removeFirst()
                    reporter.note("reply", "reply: \(line.dropLast())")
                }
            } else if command == "close" {
                break
            }
        }
        socket.close()
        exit(0)
    }
}
