import Glibc

/// A story a watched run told that differs from the textbook's happy path, recognised from its
/// evidence (`WatchExplanation.find`): each case holds the segments and the call that show it,
/// and `line` says what happened and why in one line that names them.
public enum WatchStory: Sendable, Hashable {
    /// close() on a socket whose received bytes were never read sent an RST, not a FIN: RFC 1122
    /// §4.2.2.13 ("If such a host issues a CLOSE call while received data is still pending in
    /// TCP … its TCP SHOULD send a RST to show that data was lost"), which Linux does
    /// (tcp_close(): `data_was_unread`). `unread` are the data segments that brought the unread
    /// bytes; `unreadBytes` of the `receivedBytes` that came were never read.
    case resetOnCloseWithUnreadData(role: String, close: String, unread: [Int], reset: Int, unreadBytes: Int, receivedBytes: Int)
    /// A send() after the peer's RST failed with EPIPE, and SIGPIPE was raised unless ignored or
    /// MSG_NOSIGNAL (send(2) "EPIPE", tcp(7)); `fin` is the peer's FIN before, if any, and `data`
    /// the segment the RST answered.
    case sendAfterReset(role: String, send: String, signal: SignalOutcome, fin: Int?, data: Int?, reset: Int)
    /// A recv() (or send()) after an RST arrived failed with ECONNRESET: the connection was reset,
    /// and what it had not read is gone (tcp(7), recv(2) "ECONNRESET").
    case resetByPeer(role: String, call: String, reset: Int, from: String)
    /// connect() failed with ECONNREFUSED: its SYN was answered with an RST because nothing
    /// listened on the port (RFC 9293 §3.10.7.1: a segment to a CLOSED port gets an RST).
    case connectRefused(role: String, connect: String, syn: Int, reset: Int, port: String)

    /// What became of SIGPIPE with an EPIPE send.
    public enum SignalOutcome: Sendable, Hashable {
        /// The process was killed by it (the default action).
        case killed
        /// strace saw it delivered (a handler, or ignored after delivery was traced).
        case received
        /// No SIGPIPE was seen (ignored, as Python does, or MSG_NOSIGNAL).
        case none
    }

    /// One line, for the watch's timeline: what happened, the evidence, and why.
    public var line: String {
        switch self {
        case .resetOnCloseWithUnreadData(let role, let close, let unread, let reset, let unreadBytes, let receivedBytes):
            let data = unread.map { "#\($0)" }.joined(separator: ", ")
            let bytes = unreadBytes == receivedBytes ? "the \(unreadBytes) bytes of \(data) were never read"
                : "\(unreadBytes) of the \(receivedBytes) bytes that came (in \(data)) were never read"
            return "\(role)'s \(close) sent RST #\(reset) instead of a FIN: \(bytes), and closing "
                + "with unread data resets the connection to say data was lost (RFC 1122 4.2.2.13; Linux tcp_close)"
        case .sendAfterReset(let role, let send, let signal, let fin, let data, let reset):
            let before = [fin.map { "FIN #\($0) closed the peer's side" }, data.map { "data #\($0) reached a socket nobody held" }]
                .compactMap { $0 }.joined(separator: ", ")
            let raised: String
            switch signal {
            case .killed: raised = " and SIGPIPE killed it"
            case .received: raised = " and raised SIGPIPE"
            case .none: raised = " (SIGPIPE ignored or MSG_NOSIGNAL)"
            }
            return "\(role)'s \(send) failed with EPIPE\(raised): \(before.isEmpty ? "" : before + ", ")RST #\(reset) "
                + "ended the connection, and a send after an RST gets EPIPE and SIGPIPE (send(2))"
        case .resetByPeer(let role, let call, let reset, let from):
            return "\(role)'s \(call) failed with ECONNRESET: RST #\(reset) from \(from) reset the connection, "
                + "and bytes not yet read are lost (recv(2), tcp(7))"
        case .connectRefused(let role, let connect, let syn, let reset, let port):
            return "\(role)'s \(connect) failed with ECONNREFUSED: SYN #\(syn) was answered by RST #\(reset), "
                + "as nothing listened on \(port) (RFC 9293 3.10.7.1)"
        }
    }
}
