/// A client's three-way handshake as the capture shows it (RFC 9293 §3.5): its SYN, the server's
/// SYN-ACK after it, and the client's ACK of that SYN-ACK (acknowledging its ISN + 1).
struct ClientHandshake {
    let syn: CapturedSegment
    let synAck: CapturedSegment
    let ack: CapturedSegment

    /// The handshake of the connection whose client-to-server segments `fromClient` picks and
    /// server-to-client segments `toClient` picks, among `segments` (capture order); throws what
    /// was seen instead, naming the client `name`.
    static func find(in segments: [CapturedSegment], of name: String, fromClient: (CapturedSegment) -> Bool,
                     toClient: (CapturedSegment) -> Bool) throws(Unseen) -> ClientHandshake {
        guard let syn = segments.first(where: { fromClient($0) && $0.segment.flags == .syn }) else {
            throw Unseen("no SYN from \(name)")
        }
        guard let synAck = segments.first(where: { toClient($0) && $0.segment.flags == [.syn, .ack] && $0.number > syn.number }) else {
            throw Unseen("no SYN-ACK to \(name) after its SYN #\(syn.number)")
        }
        guard let ack = segments.first(where: {
            fromClient($0) && $0.number > synAck.number && $0.segment.flags == .ack
                && $0.segment.acknowledgmentNumber == synAck.segment.sequenceNumber &+ 1
        }) else { throw Unseen("no ACK from \(name) after SYN-ACK #\(synAck.number)") }
        return ClientHandshake(syn: syn, synAck: synAck, ack: ack)
    }

    /// `SYN #8, SYN-ACK #9, ACK #10`.
    var text: String { "SYN #\(syn.number), SYN-ACK #\(synAck.number), ACK #\(ack.number)" }
}
