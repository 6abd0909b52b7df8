import Testing
@testable import TCPLabKit

/// One strace's output as it comes through its FIFO, in the chunks strace writes (a call's start
/// at its entry, the rest at its return): whole lines, the call a tracee is in handed on as
/// `<unfinished ...>`, and how far strace has come.
@Suite struct StraceStreamTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aBlockedCallIsHandedOnAsUnfinishedAndItsEndAsResumed() throws {
        var stream = StraceStream()
        let first = stream.read(Self.bytes("100 1795987392.000050 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000040>\n"
            + "100 1795987392.000100 listen(3, 1) = 0 <0.000036>\n100 1795987392.000200 accept4(3, "))
        #expect(first.count == 2)
        #expect(stream.progress.reached == 1_795_987_392_000_200)
        let handed = stream.unfinished()
        let unfinished = try #require(handed)
        #expect(unfinished.event == .unfinished(name: "accept4", arguments: "3,"))
        #expect(unfinished.time == 1_795_987_392_000_200)
        #expect(stream.unfinished() == nil, "handed on once")
        let rest = stream.read(Self.bytes("{sa_family=AF_INET, sin_port=htons(50008), sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 4 <1.500000>\n"))
        let resumed = try #require(rest.first)
        guard case .resumed("accept4", _, "4", 1_500_000) = resumed.event else { Issue.record("\(resumed)"); return }
        // strace handled the return at the call's start plus its -T time.
        #expect(stream.progress.reached == 1_795_987_393_500_200)

        // Fed to the steps, the two make one accept() with its start and its return.
        var steps = StraceSteps()
        for line in first + [unfinished] + rest { steps.feed(line) }
        let accept = try #require(steps.steps.first { $0.call == "accept" })
        #expect(accept.began == 1_795_987_392_000_200 && accept.ended == 1_795_987_393_500_200 && accept.returnValue == 4)
    }

    @Test func straceSplittingTheLineItselfIsLeftToItsOwnResumedLine() {
        var stream = StraceStream()
        _ = stream.read(Self.bytes("100 1795987392.000200 accept4(3, "))
        #expect(stream.unfinished() != nil)
        // Another tracee's event came: strace ends the line itself, and resumes it later.
        let lines = stream.read(Self.bytes(" <unfinished ...>\n101 1795987392.000300 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3 <0.000040>\n"
            + "100 1795987392.000400 <... accept4 resumed>{sa_family=AF_INET}, [16], 0) = 4 <0.000200>\n"))
        #expect(lines.map(\.pid) == [101, 100])
        guard case .resumed("accept4", _, "4", _) = lines[1].event else { Issue.record("\(lines[1])"); return }
    }

    @Test func aWholeLineIsNotHandedOnTwiceNorAPartialStamp() {
        var stream = StraceStream()
        _ = stream.read(Self.bytes("100 1795987392.000100 close(4) = 0 <0.000010>\n"))
        #expect(stream.unfinished() == nil)
        _ = stream.read(Self.bytes("100 17959873"))
        #expect(stream.progress.reached == 1_795_987_392_000_110, "a stamp cut short says nothing")
        #expect(stream.unfinished() == nil)
    }

    @Test func idleStraceHasComeUpToWhenItWasSeenWaiting() {
        var stream = StraceStream()
        #expect(stream.progress.reached == nil)
        stream.idle(at: 1_795_987_400_000_000)
        _ = stream.read(Self.bytes("100 1795987392.000100 close(4) = 0 <0.000010>\n"))
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
