/// The program a role process runs, with its settings: the one typed description scenarios
/// start roles from and `tcplab role` runs. It crosses the process boundary as JSON (Codable), so
/// neither side builds or parses argument strings.
public enum RoleProgram: Codable, Sendable, Equatable {
    /// Answers one message (upper-cased) and closes: the seed posts' once-server.
    case onceServer
    /// Fork per connection; how (or whether) exited children are reaped; whether the parent keeps
    /// its copy of each accepted socket open.
    case forkServer(reaping: ForkServer.Reaping, keepsAcceptedSocket: Bool)
    /// Sends the lines it is given on stdin, reading after each, as the posts' client.
    case lineClient(behaviour: LineClient.Behaviour)
    /// Serves one connection at a time, echoing until the peer leaves.
    case iterativeServer
    /// Accepts, closes actively (`closeOneConnection`) and exits; with or without SO_REUSEADDR.
    case reuseServer(reuseAddress: Bool, closeOneConnection: Bool)
    /// An echo server driven by commands on stdin (recv, echo, close, shutdown …).
    case echoServer
    /// A client driven by commands on stdin.
    case commandClient
    /// A client of the concurrency scenario: sends the lines it is told to, reads each echo.
    case concurrencyClient
    /// One of the concurrency scenario's echo server models.
    case concurrencyServer(ConcurrencyServer)
    /// Listens with `backlog` and never accepts.
    case idleServer(backlog: Int32)
    /// `count` non-blocking connects at once, reporting each.
    case synClients(count: Int)
    /// Echoes every byte at once (the Nagle scenario's server).
    case instantEchoServer
    /// Types a line one byte per send(), with or without TCP_NODELAY.
    case keystrokeClient(noDelay: Bool)
    /// One of `tcplab bench concurrency`'s lean echo servers: no report per call.
    case benchServer(BenchServer)
    /// The benchmark's load generator: N closed-loop request/response connections in one epoll loop.
    case benchClients(BenchClients)
    /// io-models: accepts one connection and waits for its data in one of the five I/O models.
    case ioModelServer(IOModels.Variant)
    /// io-models: connects, pauses `pauseMilliseconds`, sends `message`, reads until the server closes.
    case pausingClient(pauseMilliseconds: Int, message: String)
    /// flow-control: a server with a small SO_RCVBUF that reads `bytes` only when told to.
    case flowReceiver(receiveBuffer: Int32, bytes: Int)
    /// flow-control: a client with a small SO_SNDBUF that writes `bytes`, blocking or not.
    case flowSender(sendBuffer: Int32, bytes: Int, blocking: Bool)
    /// keepalive: a client with SO_KEEPALIVE and the given timers, driven by commands.
    case keepaliveClient(KeepaliveTimers)
    /// The loss story's client: connects (TCP_MAXSEG if given), one send() per `send TEXT` command.
    case lossClient(maximumSegment: Int32?)
    /// The loss story's server: reads one connection to its EOF (at once, or after `read`), sends
    /// nothing; SO_RCVBUF fixed if given.
    case sinkServer(receiveBuffer: Int32?, readsWhenTold: Bool)

    /// A concurrency server model and its settings.
    public struct ConcurrencyServer: Codable, Sendable, Equatable {
        public var model: Concurrency.Variant
        /// listen(2)'s backlog: room for every client of an iterative run.
        public var backlog: Int32
        /// Bytes asked of each recv() (the edge-triggered variants read less than a line).
        public var readSize: Int
        /// select and select-unchecked (which puts descriptors in the fd_set with glibc's fortified
        /// FD_SET, so descriptor 1024 aborts it): after this many clients, open descriptors up to FD_SETSIZE so the next
        /// accepted connection gets descriptor 1024.
        public var fillDescriptorsAfter: Int?

        public init(model: Concurrency.Variant, backlog: Int32, readSize: Int = 1024, fillDescriptorsAfter: Int? = nil) {
            self.model = model
            self.backlog = backlog
            self.readSize = readSize
            self.fillDescriptorsAfter = fillDescriptorsAfter
        }
    }

    /// Runs the program against `server` (where a server listens, where a client connects); never returns.
    func run(server: SocketAddress) -> Never {
        switch self {
        case .onceServer: OnceServer(address: server).run()
        case .forkServer(let reaping, let keeps): ForkServer(address: server, reaping: reaping, keepsAcceptedSocket: keeps).run()
        case .lineClient(let behaviour): LineClient(server: server, behaviour: behaviour).run()
        case .iterativeServer: IterativeServer(address: server).run()
        case .reuseServer(let reuse, let closeOne): ReuseServer(address: server, reuseAddress: reuse, closeOneConnection: closeOne).run()
        case .echoServer: EchoServer(address: server).run()
        case .commandClient: CommandClient(server: server).run()
        case .concurrencyClient: ConcurrencyClient(server: server).run()
        case .concurrencyServer(let settings): settings.run(server: server)
        case .idleServer(let backlog): IdleServer(address: server, backlog: backlog).run()
        case .synClients(let count): SynClients(server: server, count: count).run()
        case .instantEchoServer: InstantEchoServer(address: server).run()
        case .keystrokeClient(let noDelay): KeystrokeClient(server: server, noDelay: noDelay).run()
        case .benchServer(let settings): settings.run(address: server)
        case .benchClients(let settings): settings.run(server: server)
        case .ioModelServer(let model): IOModelServer(address: server, model: model).run()
        case .pausingClient(let pause, let message): PausingClient(server: server, pauseMilliseconds: pause, message: message).run()
        case .flowReceiver(let buffer, let bytes): FlowReceiver(address: server, receiveBuffer: buffer, bytes: bytes).run()
        case .flowSender(let buffer, let bytes, let blocking):
            FlowSender(server: server, sendBuffer: buffer, bytes: bytes, blocking: blocking).run()
        case .keepaliveClient(let timers): KeepaliveClient(server: server, timers: timers).run()
        case .lossClient(let maximumSegment): LossClient(server: server, maximumSegment: maximumSegment).run()
        case .sinkServer(let buffer, let told): SinkServer(address: server, receiveBuffer: buffer, readsWhenTold: told).run()
        }
    }
}

extension RoleProgram.ConcurrencyServer {
    func run(server: SocketAddress) -> Never {
        let readSize = max(1, readSize)
        switch model {
        case .iterative: IterativeEchoServer(address: server, backlog: backlog, readSize: readSize).run()
        case .fork: ForkEchoServer(address: server, backlog: backlog, readSize: readSize).run()
        case .thread: ThreadEchoServer(address: server, backlog: backlog, readSize: readSize).run()
        case .select, .selectUnchecked:
            SelectEchoServer(address: server, backlog: backlog, readSize: readSize, fillDescriptorsAfter: fillDescriptorsAfter,
                             insertion: model == .selectUnchecked ? .fortified : .checked).run()
        case .poll: PollEchoServer(address: server, backlog: backlog, readSize: readSize).run()
        case .epoll: EpollEchoServer(address: server, backlog: backlog, readSize: readSize, mode: .level).run()
        case .epollET: EpollEchoServer(address: server, backlog: backlog, readSize: readSize, mode: .edge).run()
        case .epollETOnce: EpollEchoServer(address: server, backlog: backlog, readSize: readSize, mode: .edgeOnce).run()
        }
    }
}

import Foundation

/// A role as the lab starts it: its program and the server address it listens on or connects to.
public struct RoleDescription: Codable, Sendable, Equatable {
    public var program: RoleProgram
    public var server: SocketAddress
    /// A deliberate fault for tests (`--doctor`); nil for the program as written.
    public var misbehaviour: RoleMisbehaviour?
    /// `--step`: the role waits for a line on standard input before each call it makes on its own
    /// (`RoleGate`); nil or false for a role that runs straight through.
    public var held: Bool?

    public init(_ program: RoleProgram, server: SocketAddress, misbehaviour: RoleMisbehaviour? = nil) {
        self.program = program
        self.server = server
        self.misbehaviour = misbehaviour
    }

    /// The description as one line of JSON, the argument of `tcplab role --described`.
    public var json: String {
        // Encoding plain enums, structs, strings and integers cannot fail.
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads back what `json` wrote; nil for anything else.
    public init?(json: String) {
        guard let value = try? JSONDecoder().decode(RoleDescription.self, from: Data(json.utf8)) else { return nil }
        self = value
    }
}
extension Concurrency.Variant: Codable {}
extension IOModels.Variant: Codable {}
