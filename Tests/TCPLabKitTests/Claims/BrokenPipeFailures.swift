import Glibc
@testable import TCPLabKit

/// broken-pipe's claims, each made to fail the way another kernel or client would.
enum BrokenPipeFailures {
    static let resetVariants = ["broken-pipe-default", "broken-pipe-sigpipe-ignored", "broken-pipe-msg-nosignal"]
    static let allVariants = resetVariants + ["broken-pipe-fixed-client"]

    static let all: [ClaimFailure] =
        ClaimFailure.each(allVariants, "reply-acked", "the server's ACK of haha covers 3 bytes, not 4", seen: "acknowledged 3 bytes, not 4") { run in
            let port = run.port
            guard let haha = run.observation.segments.first(where: { $0.segment.payload == Array("haha".utf8) }) else { return }
            run.editSegments(where: { $0.segment.sourcePort == port && $0.number > haha.number }) {
                $0.acknowledgmentNumber = haha.segment.sequenceNumber &+ 3
            }
        }
        + ClaimFailure.each(allVariants, "fin-after-close", "the server's FIN is missing (a server that never closed)", seen: "no FIN from the server") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }
        }
        + ClaimFailure.each(allVariants, "half-closed-states", "the server's side still ESTABLISHED after its close()", seen: "server ESTABLISHED, client CLOSE_WAIT") { run in
            let port = run.port
            run.setState(at: BrokenPipe.Moment.afterServerClose, where: { $0.localPort == port && $0.state == .finWait2 }, to: .established)
        }
        + ClaimFailure.each(resetVariants, "rst-after-close", "no RST after hehe (a kernel that ACKs it instead)", seen: "no RST from the server after hehe") { run in
            run.editSegments(where: { $0.segment.flags.contains(.rst) }) { $0.flags = .ack }
        }
        + ClaimFailure.each(resetVariants, "recv-eof", "the recv() after hehe returned 4 bytes", seen: "recv() = 4") { run in
            let sendHehe = run.observation.steps.first { $0.role == "client" && $0.data == "hehe" }?.began ?? 0
            run.editSteps(of: "client", where: { $0.call == "recv" && $0.began > sendHehe }) {
                $0.returnValue = 4
                $0.data = "HEHE"
            }
        }
        + [ClaimFailure("broken-pipe-default", "sigpipe-kills", "the client exits 0 instead of dying of SIGPIPE", seen: "the client exited with status 0") { run in
            run.end("client", .exited(0))
        }]
        + [ClaimFailure("broken-pipe-sigpipe-ignored", "sigpipe-ignored-epipe", "send(\"wawa\") returned 4", seen: "send(\"wawa\") = 4") { run in
            run.editSteps(of: "client", where: { $0.data == "wawa" }) { $0.errno = nil; $0.returnValue = 4 }
        }]
        + [ClaimFailure("broken-pipe-msg-nosignal", "msg-nosignal-epipe", "send(\"wawa\") failed with ECONNRESET", seen: "ECONNRESET") { run in
            run.editSteps(of: "client", where: { $0.data == "wawa" }) { $0.errno = ECONNRESET }
        }]
        + ClaimFailure.each(["broken-pipe-sigpipe-ignored", "broken-pipe-msg-nosignal", "broken-pipe-fixed-client"], "client-exits",
                            "the client killed by SIGPIPE", seen: "killed by SIGPIPE") { run in
            run.end("client", .signaled(SIGPIPE))
        }
        + [ClaimFailure("broken-pipe-fixed-client", "eof-before-send", "the client sent hehe before reading the EOF", seen: "send(\"hehe\") = 4") { run in
            guard var send = run.observation.steps.first(where: { $0.role == "client" && $0.call == "send" }) else { return }
            send.data = "hehe"
            send.text = "send(\"hehe\")"
            send.returnValue = 4
            run.observation.steps.append(send)
        },
        ClaimFailure("broken-pipe-fixed-client", "no-rst", "an RST from the server", seen: "RST #") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags = .rst }
        },
        ClaimFailure("broken-pipe-fixed-client", "no-rst", "the capture dropped packets", seen: "dropped 2 packets") { run in
            run.dropPackets(2)
        },
        ClaimFailure("broken-pipe-fixed-client", "clean-close", "the server side still FIN_WAIT2 after the client's close", seen: "FIN_WAIT2") { run in
            let port = run.port
            run.setState(at: BrokenPipe.Moment.afterClientClose, where: { $0.localPort == port && $0.state == .timeWait }, to: .finWait2)
        }]
}
