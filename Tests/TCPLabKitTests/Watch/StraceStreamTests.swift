import Testing
@testable import TCPLabKit

/// One strace's output as it comes through its FIFO, in the chunks strace writes (a call's start
/// at its entry, the rest at its return): whole lines, the call a tracee is in handed on as
/// `<unfinished ...>`, and how far strace has come.
@Suite struct StraceStreamTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    /// A read long after every stamp below: the stamps bound the returns.
    static let late: Int64 = 1_795_987_500_000_000

    /// The sendto of a traced Python client as strace wrote it into the FIFO (recorded): entry
    /// stamped at .087237, 59 µs counted by -T, the capture's segment at .087352 — 56 µs after
    /// stamp + -T, because strace starts the -T clock only after it wrote the entry. The return
    /// is placed no earlier than the next line's stamp (here the next call, .087401) or the
    /// read, whichever is first, so the segment the call sent sits inside the call.
    @Test func aReturnIsPlacedWhereStraceKnewOfItNotAtStampPlusItsTime() throws {
        var stream = StraceStream()
        let segment: Int64 = 1_796_014_555_087_352
        let first = stream.read(Self.bytes("200 1796014555.087237 sendto(3, \"haha\", 4, 0, NULL, 0) = 4 <0.000059>\n"),
                                at: 1_796_014_555_087_480)
        let send = try #require(first.first)
        #expect(send.returnedBy == 1_796_014_555_087_480, "read at .087480, nothing after it yet")
        var steps = StraceSteps()
        // Known sockets only: the socket call first.
        steps.feed(StraceLine(pid: 200, time: 1_796_014_555_000_000,
                              event: .call(name: "socket", arguments: "AF_INET, SOCK_STREAM, IPPROTO_IP", result: "3", microseconds: 10)))
        steps.feed(send)
        let step = try #require(steps.steps.first { $0.call == "send" })
        #expect(step.began == 1_796_014_555_087_237)
        let ended = try #require(step.ended)
        #expect(ended > segment, "send = 4 at \(ended), before the segment it sent at \(segment)")

        // Read late, with the next line: that line's stamp bounds the return (just before it:
        // the recv began after the send returned).
        var late = StraceStream()
        let both = late.read(Self.bytes("200 1796014555.087237 sendto(3, \"haha\", 4, 0, NULL, 0) = 4 <0.000059>\n"
            + "200 1796014555.087401 recvfrom(3, "), at: 1_796_014_555_095_000)
        #expect(both.first?.returnedBy == 1_796_014_555_095_000)
        var lateSteps = StraceSteps()
        lateSteps.feed(StraceLine(pid: 200, time: 1_796_014_555_000_000,
                                  event: .call(name: "socket", arguments: "AF_INET, SOCK_STREAM, IPPROTO_IP", result: "3", microseconds: 10)))
        for line in both { lateSteps.feed(line) }
        #expect(lateSteps.steps.first { $0.call == "send" }?.ended == 1_796_014_555_095_000, "nothing after it known yet")
        let handed = late.unfinished()
        let recv = try #require(handed)
        #expect(lateSteps.feed(recv) == [1, 2], "the send's return is placed again, the recv begins")
        #expect(lateSteps.steps.first { $0.call == "send" }?.ended == 1_796_014_555_087_400)
        #expect(lateSteps.steps.first { $0.call == "recv" }?.began == 1_796_014_555_087_401)
        // Another strace's line says nothing of this one's calls.
        var two = StraceSteps()
        two.feed(StraceLine(pid: 200, time: 1_796_014_555_000_000,
                            event: .call(name: "socket", arguments: "AF_INET, SOCK_STREAM, IPPROTO_IP", result: "3", microseconds: 10)),
                 stream: "trace")
        for line in both { two.feed(line, stream: "trace") }
        two.feed(StraceLine(pid: 300, time: 1_796_014_555_087_300, event: .signal("SIGCHLD")), stream: "trace-9")
        #expect(two.steps.first { $0.call == "send" }?.ended == 1_796_014_555_095_000)
        // A bound is never placed before what -T counted.
        #expect(StraceLine(pid: 1, time: 100, event: .exited(0), returnedBy: 120).returned(began: 100, spent: 50) == 150)
    }

    @Test func aBlockedCallIsHandedOnAsUnfinishedAndItsEndAsResumed() throws {
        var stream = StraceStream()
        let first = stream.read(Self.bytes("100 1795987392.000050 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000040>\n"
            + "100 1795987392.000100 listen(3, 1) = 0 <0.000036>\n100 1795987392.000200 accept4(3, "), at: Self.late)
        #expect(first.count == 2)
        #expect(stream.progress.reached == 1_795_987_392_000_200)
        let handed = stream.unfinished()
        let unfinished = try #require(handed)
        #expect(unfinished.event == .unfinished(name: "accept4", arguments: "3,"))
        #expect(unfinished.time == 1_795_987_392_000_200)
        #expect(stream.unfinished() == nil, "handed on once")
        let rest = stream.read(Self.bytes("{sa_family=AF_INET, sin_port=htons(50008), sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 4 <1.500000>\n"), at: 1_795_987_393_500_300)
        let resumed = try #require(rest.first)
        guard case .resumed("accept4", _, "4", 1_500_000) = resumed.event else { Issue.record("\(resumed)"); return }
        // strace handled the return at the call's start plus its -T time.
        #expect(stream.progress.reached == 1_795_987_393_500_200)

        // Fed to the steps, the two make one accept() with its start and its return.
        var steps = StraceSteps()
        for line in first + [unfinished] + rest { steps.feed(line) }
        let accept = try #require(steps.steps.first { $0.call == "accept" })
        // accept puts nothing on the wire: its return is where -T counts it, not where it was read.
        #expect(accept.began == 1_795_987_392_000_200 && accept.ended == 1_795_987_393_500_200 && accept.returnValue == 4)
    }

    @Test func straceSplittingTheLineItselfIsLeftToItsOwnResumedLine() {
        var stream = StraceStream()
        _ = stream.read(Self.bytes("100 1795987392.000200 accept4(3, "), at: Self.late)
        #expect(stream.unfinished() != nil)
        // Another tracee's event came: strace ends the line itself, and resumes it later.
        let lines = stream.read(Self.bytes(" <unfinished ...>\n101 1795987392.000300 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3 <0.000040>\n"
            + "100 1795987392.000400 <... accept4 resumed>{sa_family=AF_INET}, [16], 0) = 4 <0.000200>\n"), at: Self.late)
        #expect(lines.map(\.pid) == [101, 100])
        guard case .resumed("accept4", _, "4", _) = lines[1].event else { Issue.record("\(lines[1])"); return }
    }

    @Test func aWholeLineIsNotHandedOnTwiceNorAPartialStamp() {
        var stream = StraceStream()
        _ = stream.read(Self.bytes("100 1795987392.000100 close(4) = 0 <0.000010>\n"), at: Self.late)
        #expect(stream.unfinished() == nil)
        _ = stream.read(Self.bytes("100 17959873"), at: Self.late)
        #expect(stream.progress.reached == 1_795_987_392_000_110, "a stamp cut short says nothing")
        #expect(stream.unfinished() == nil)
    }

    @Test func idleStraceHasComeUpToWhenItWasSeenWaiting() {
        var stream = StraceStream()
        #expect(stream.progress.reached == nil)
        stream.idle(at: 1_795_987_400_000_000)
        _ = stream.read(Self.bytes("100 1795987392.000100 close(4) = 0 <0.000010>\n"), at: Self.late)
        #expect(stream.progress.reached == 1_795_987_400_000_000, "never goes back")
    }
}

/// The watched program's output placed where the write(2) that printed it returned: writes into
/// a launcher's pipes are passed over, escapes and truncation undone.
@Suite struct WrittenOutputTests {
    static func write(_ returned: Int64, _ bytes: Int, _ quoted: String?) -> WrittenOutput.Write {
        WrittenOutput.Write(pid: 1, returned: returned, bytes: bytes, shown: quoted.flatMap(WrittenOutput.bytes(quoted:)))
    }

    @Test func linesSitWhereTheirWriteReturnedAndPipeWritesArePassedOver() {
        var output = WrittenOutput()
        // pyenv's `$(pyenv-version-name)` writes "3.11.7\n" into a pipe; then the program prints.
        let writes = [Self.write(10, 7, "\"3.11.7\\n\""), Self.write(20, 10, "\"listening\\n\""), Self.write(30, 11, "\"caf\\303\\251 open\\n\"")]
        output.match(writes)
        #expect(output.returned(through: 10) == nil, "nothing received yet: the first write cannot be told")
        output.received("listening", through: 10)
        output.match(writes)
        #expect(output.returned(through: 10) == 20)
        output.received("café open", through: 21)
        output.match(writes)
        #expect(output.returned(through: 21) == 30, "é is two bytes, as strace shows them")
        #expect(output.returned(through: 22) == nil, "no write brought a 22nd byte")
    }

    @Test func aLongWriteShownCutShortStillCounts() {
        var output = WrittenOutput()
        let long = String(repeating: "x", count: 100)
        output.received(long, through: 101)
        output.match([Self.write(5, 101, "\"" + String(repeating: "x", count: 64) + "\"...")])
        #expect(output.returned(through: 101) == 5)
    }

    @Test func straceEscapesAreUndone() {
        #expect(WrittenOutput.bytes(quoted: "\"a\\tb\\n\\\"q\\\"\\\\\\0\\3770\"") == Array("a\tb\n\"q\"\\".utf8) + [0, 255, 48])
        #expect(WrittenOutput.bytes(quoted: "0x7ffc") == nil)
    }
}
