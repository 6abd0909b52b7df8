import CPcap
import Glibc

/// The client from the broken-pipe story: connect, then for each line it is given, send the line
/// and try to read a reply, printing "other side has closed" when recv returns 0.
///
/// The lines come on standard input, one at a time, the way a student types them; the lab
/// feeds the next line only once the event the story waits for has happened.
public struct LineClient {
    /// How the client treats the peer's close: the four broken-pipe variants.
    public enum Behaviour: String, Sendable, CaseIterable, Codable {
        /// SIGPIPE at its default action: the send after the RST kills the process.
        case plain
        /// SIGPIPE ignored (as Python does): the send fails with EPIPE and the client prints it.
        case ignoreSigpipe = "ignore-sigpipe"
        /// send(…, MSG_NOSIGNAL): the send fails with EPIPE and no signal is raised.
        case noSignal = "msg-nosignal"
        /// Looks for the peer's FIN before each send and stops at recv() = 0.
        case readFirst = "read-first"
    }

    public var server: SocketAddress
    public var behaviour: Behaviour

    public init(server: SocketAddress, behaviour: Behaviour) {
        self.server = server
        self.behaviour = behaviour
    }

    /// Runs the client until its input ends or it stops at EOF; exits the process (or dies of SIGPIPE).
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        signal(SIGPIPE, behaviour == .ignoreSigpipe ? SIG_IGN : SIG_DFL)
        if behaviour == .ignoreSigpipe { reporter.note("signal", "signal(SIGPIPE, SIG_IGN)") }
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        var input = LineReader(fd: 0)
        // Held (`--step`): the lab's word before the connect, so its pause comes before the SYN.
        RoleGate.wait(&input)
        let connected = socket.connect(server)
        if let error = connected.errno {
            reporter.note("print", "connect \(server.description): \(error.message)")
            exit(1)
        }
        reporter.note("print", "connected")
        let flags = behaviour == .noSignal ? Int32(MSG_NOSIGNAL) : 0
        while let line = input.nextLine() {
            if behaviour == .readFirst, socket.isReadable() {
                let early = socket.receive()
                if early.returnValue == 0 {
                    reporter.note("print", "other side has closed")
                    break
                }
            }
            let sent = socket.send(line, flags: flags)
            if let error = sent.errno {
                // Like the seed's `except Exception as ex: print ex`: report and leave normally.
                reporter.note("print", "[Errno \(error.rawValue)] \(error.message)")
                exit(0)
            }
            // Held (`--step`): the lab's word, on the same input as the lines, before the recv().
            RoleGate.wait(&input)
            let reply = socket.receive()
            if reply.returnValue == 0 {
                reporter.note("print", "other side has closed")
                if behaviour == .readFirst { break }
            } else if let error = reply.errno {
                reporter.note("print", "[Errno \(error.rawValue)] \(error.message)")
                exit(0)
            } else {
                reporter.note("print", "response from server: \(reply.data ?? "")")
            }
        }
        socket.close()
        exit(0)
    }
}
