import Glibc

/// The line protocol every concurrency server speaks: each complete line a client sends comes
/// back upper-cased. TCP is a byte stream, so a server collects bytes until a newline; one recv()
/// may hold part of a line or several lines.
public struct LineBuffer {
    private var pending = ""

    public init() {}

    /// Adds what one recv() returned and hands back every line it completed (with its newline).
    public mutating func append(_ text: String) -> [String] {
        pending += text
        var lines: [String] = []
        while let newline = pending.firstIndex(of: "\n") {
            lines.append(String(pending[...newline]))
            pending = String(pending[pending.index(after: newline)...])
        }
        return lines
    }
}

/// Setup and per-connection steps the concurrency servers share, so each role file shows only
/// its own model: how it waits for the next connection or the next bytes.
enum EchoServing {
    /// socket, SO_REUSEADDR, bind, listen, and the `listening` note the lab waits for.
    static func listen(_ address: SocketAddress, backlog: Int32, reporter: RoleReporter) -> RoleSocket {
        RoleSocket.listener(on: address, backlog: backlog, reporter: reporter)
    }

    /// Sends back, upper-cased, every line this recv() completed (with `--doctor
    /// server-never-answers`, notes each send it skips instead).
    static func answer(_ received: String, buffer: inout LineBuffer, on connection: RoleSocket) {
        for line in buffer.append(received) {
            if RoleMisbehaviour.skipsAnswers {
                RoleMisbehaviour.skipped("send(\(quoted(line.uppercased())))", connection.reporter)
            } else {
                connection.send(line.uppercased())
            }
        }
    }

    /// The blocking loop of the iterative, fork and thread servers: recv() until the client's
    /// FIN (recv returns 0) or an error, answering each complete line, then close().
    static func serveUntilEOF(_ connection: RoleSocket, readSize: Int) {
        var buffer = LineBuffer()
        while true {
            let received = connection.receive(capacity: readSize)
            if received.errno == .interrupted { continue }
            guard received.returnValue > 0, let data = received.data else { break }
            answer(data, buffer: &buffer, on: connection)
        }
        connection.close()
    }

    /// Makes a socket non-blocking, as an edge-triggered loop needs: it reads until EAGAIN.
    static func setNonBlocking(_ fd: Int32, reporter: RoleReporter) {
        reporter.call("fcntl", "fcntl(fd \(fd), F_SETFL, O_NONBLOCK)") {
            .raw(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
        }
    }
}
