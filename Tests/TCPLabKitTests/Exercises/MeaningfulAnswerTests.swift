import Foundation
import Testing
@testable import TCPLabKit

/// A meaningful wrong answer is marked wrong with its reason, not refused (issue 11 §2): other
/// endings, exit spellings, errnos and states where the choices are of that kind, and numbers
/// with their unit or noun. Only what is no answer of the question's kind is refused (exit 2).
/// Marked against the broken-pipe runs recorded on Linux 6.18 (Fixtures/).
@Suite struct MeaningfulAnswerTests {
    static func mark(_ id: String, _ answer: String, _ variant: String = "default") throws -> PredictionMark {
        let marks = try FairMarkingTests.marks("\(id): \(answer)\n", "broken-pipe", variant)
        return try #require(marks.first { $0.id == id })
    }

    static func refusal(_ id: String, _ answer: String, _ scenario: String = "broken-pipe", _ variant: String? = nil) throws -> String? {
        let exercise = try FairMarkingTests.exercise(scenario, variant)
        return FairMarkingTests.error { () throws(LabError) in _ = try AnswerSheet.answers("\(id): \(answer)\n", for: exercise) }
    }

    @Test(arguments: ["exits 0", "exit 0", "exit status 0", "Exited with code 0", "returned 0", "exited 0"])
    func everyExitSpellingIsTheExit(_ answer: String) throws {
        let wrong = try Self.mark("client-ending", answer)
        #expect(!wrong.correct && wrong.answer == "exited 0", "\(answer): \(wrong)")
        #expect(wrong.reason == "the client was killed by SIGPIPE (its send(\"wawa\") never returned)")
        let right = try Self.mark("client-ending", answer, "fixed-client")
        #expect(right.correct, "the fixed client exits 0: \(right)")
    }

    /// The misconception the lesson is about: the second send fails with EPIPE. Read, and marked
    /// wrong with the run's evidence, by name, by the C library's text and by number.
    @Test(arguments: ["EPIPE", "epipe", "Broken pipe", "32", "EPIPE (Broken pipe)", "-1 EPIPE", "returns -1 EPIPE"])
    func anErrnoIsReadAndMarkedWrong(_ answer: String) throws {
        let mark = try Self.mark("client-ending", answer)
        #expect(!mark.correct && mark.answer == "a call failing with EPIPE", "\(answer): \(mark)")
        #expect(mark.said == "\(answer) (a call failing with EPIPE)")
        #expect(mark.reason == "the client was killed by SIGPIPE (its send(\"wawa\") never returned)")
    }

    @Test func otherSignalsAreReadByNameOrNumberWithSignal() throws {
        for (answer, reading) in [("SIGKILL", "killed by SIGKILL"), ("KILL", "killed by SIGKILL"), ("signal 9", "killed by SIGKILL"),
                                  ("killed by SIGSEGV", "killed by SIGSEGV"), ("sigterm", "killed by SIGTERM"), ("exits 1", "exited 1")] {
            let mark = try Self.mark("client-ending", answer)
            #expect(!mark.correct && mark.answer == reading, "\(answer): \(mark)")
        }
    }

    /// Gibberish and choice numbers past the choices stay refused; so do outcomes where a choice
    /// is in words that may cover them (concurrency's `runs until the lab stops it`, which is a SIGTERM).
    @Test func whatIsNoAnswerOfTheKindIsStillRefused() throws {
        #expect(try Self.refusal("client-ending", "7") == "client-ending: `7` is not a choice between 1 and 3 (1 exited 0, 2 killed by SIGPIPE, 3 killed by SIGTERM)")
        #expect(try Self.refusal("client-ending", "0") != nil)
        #expect(try Self.refusal("client-ending", "exploded") != nil)
        #expect(try Self.refusal("client-ending", "returned") != nil)
        #expect(try Self.refusal("server-end", "SIGTERM", "concurrency", "select-unchecked") != nil)
        #expect(try Self.refusal("server-end", "killed by SIGABRT", "concurrency", "select-unchecked") == nil)
    }

    @Test func errnoChoicesTakeOtherErrnosAndTheSignalBesideEPIPE() {
        let prediction = Prediction(id: "r", question: "?", kind: .choice(["0 (EOF)", "ECONNRESET", "EPIPE", "ETIMEDOUT"])) { _ in nil }
        #expect(prediction.canonical("EAGAIN") == "EAGAIN")
        #expect(prediction.canonical("Connection refused") == "ECONNREFUSED")
        #expect(prediction.canonical("13") == "killed by SIGPIPE", "SIGPIPE is EPIPE's companion (send(2))")
        #expect(prediction.canonical("returned 0") == "0 (EOF)")
        #expect(prediction.canonical("5") == nil, "out of range, and errno 5 (EIO) is no choice nor a choice's companion")
        #expect(prediction.canonical("it blocks") == nil)
        let mixed = Prediction(id: "m", question: "?", kind: .choice(["it blocks", "EAGAIN", "it returns 16384"])) { _ in nil }
        #expect(mixed.canonical("EPIPE") == nil, "a choice in words may mean it")
    }

    @Test func stateChoicesTakeOtherStatesButCLOSEDOnlyWhereNoChoiceSaysGone() throws {
        let mark = try Self.mark("server-state", "SYN-SENT")
        #expect(!mark.correct && mark.answer == "SYN_SENT" && mark.said == "SYN-SENT (SYN_SENT)", "\(mark)")
        #expect(mark.reason == "the table after the server's close() showed FIN_WAIT2 for the server")
        let states = Prediction(id: "s", question: "?", kind: .choice(["SYN_SENT", "ESTABLISHED"])) { _ in nil }
        #expect(states.canonical("closed") == "CLOSED")
        let withGone = Prediction(id: "g", question: "?", kind: .choice(LabChoices.closeStates)) { _ in nil }
        #expect(withGone.canonical("CLOSED") == nil, "`gone` may be what CLOSED means: refused, with the choices listed")
    }

    @Test(arguments: ["segment 11", "seg #11", "Segment #11", "#11", "the segment 11", "segment no. 11", "11 (the RST)"])
    func aSegmentNumberWithItsNoun(_ answer: String) throws {
        let mark = try Self.mark("rst-segment", answer)
        #expect(mark.correct && mark.answer == "11", "\(answer): \(mark)")
    }

    @Test(arguments: ["4 bytes", "4 B", "4B", "returned 4", "returns 4", "= 4", "4 bytes."])
    func aByteCountWithItsUnit(_ answer: String) throws {
        let mark = try Self.mark("hehe-send", answer)
        #expect(mark.correct && mark.answer == "4", "\(answer): \(mark)")
    }

    @Test(arguments: ["four", "11 fish", "11 12", "segment", "bytes 4 5", "4 apples", "no. nr"])
    func aNumberAmongOtherWordsIsRefused(_ answer: String) throws {
        let message = try Self.refusal("rst-segment", answer)
        #expect(message?.hasPrefix("rst-segment: `\(answer)` is not a whole number") == true, "\(answer): \(message ?? "accepted")")
    }

    @Test func meaningReadsTheNewSpellings() {
        #expect(AnswerMeaning("exits 0") == .exited(0))
        #expect(AnswerMeaning("exit status 3") == .exited(3))
        #expect(AnswerMeaning("returned 4") == .returned(4))
        #expect(AnswerMeaning("a call failing with EPIPE") == .errno(32))
        #expect(AnswerMeaning("returned -1 ECONNRESET") == .errno(104))
        #expect(AnswerMeaning("exits soon") == .words("exits soon"))
    }
}
