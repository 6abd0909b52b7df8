import Glibc

/// The client of the loss story: it connects, then for each command `send TEXT` on its standard
/// input makes one send() of TEXT, and on `close` closes its socket and exits.
///
/// With `maximumSegment` it sets TCP_MAXSEG before connecting (tcp(7): the MSS it announces and
/// the largest segment it sends), so that one send() of a few kilobytes leaves as a burst of
/// several segments, one of which the lab's nft rule can drop. Whatever is lost is the kernel's
/// business from then on: send() returns as soon as the bytes are in the send buffer.
public struct LossClient {
    public var server: SocketAddress
    public var maximumSegment: Int32?

    public init(server: SocketAddress, maximumSegment: Int32?) {
        self.server = server
        self.maximumSegment = maximumSegment
    }

    /// Connects, then runs commands until `close` or the end of its input; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        if let maximumSegment, let error = socket.setOption(Int32(IPPROTO_TCP), TCP_MAXSEG, name: "TCP_MAXSEG", value: maximumSegment).errno {
            RoleEnvironment.fail(reporter, "setsockopt(TCP_MAXSEG): \(error)")
        }
        if let error = socket.connect(server).errno {
            reporter.note("print", "connect \(server.description): \(error.message)")
            exit(1)
        }
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            if line == "close" { break }
            guard line.hasPrefix("send ") else { RoleEnvironment.fail(reporter, "loss-client: unknown command '\(line)'") }
            if let error = socket.sendBlock(String(line.dropFirst(5))).errno { RoleEnvironment.fail(reporter, "send: \(error)") }
        }
        socket.close()
        exit(0)
    }
}

extension RoleSocket {
    /// send(2) of `text` in one call, shown as strace shows a long buffer: `send("seg1 ……"..., 3000)`.
    @discardableResult
    func sendBlock(_ text: String) -> CallOutcome {
        let bytes = Array(text.utf8)
        return reporter.call("send", "send(\(Self.preview(text)), \(bytes.count))") {
            .raw(Glibc.send(fd, bytes, bytes.count, 0))
        }
    }

    /// recv(2) into a 64 KiB buffer; the step's data is the first 16 characters, `...` marking a cut.
    @discardableResult
    func receiveBlock() -> CallOutcome {
        reporter.call("recv", "recv()") {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, 0)
            let text = String(decoding: buffer[..<max(count, 0)], as: UTF8.self)
            return .raw(count, data: count > 0 ? (text.count <= 16 ? text : String(text.prefix(16)) + "...") : nil)
        }
    }

    /// The first 16 characters quoted, then `...` when there is more (strace's `-s` cut).
    static func preview(_ text: String) -> String {
        text.count <= 16 ? quoted(text) : quoted(String(text.prefix(16))) + "..."
    }
}
