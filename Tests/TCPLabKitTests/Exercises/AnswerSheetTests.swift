import Testing
@testable import TCPLabKit

@Suite struct AnswerSheetTests {
    @Test func readsIdAnswerLinesWithComments() throws {
        let answers = try AnswerSheet.parse("""
            # my predictions
            server-state: FIN_WAIT2
            rst-segment : 11   # the RST

            """)
        #expect(answers == ["server-state": "FIN_WAIT2", "rst-segment": "11"])
    }

    @Test func readsAJSONObject() throws {
        #expect(try AnswerSheet.parse(#"{"server-state": "FIN_WAIT2", "rst-segment": 11}"#)
                == ["server-state": "FIN_WAIT2", "rst-segment": "11"])
    }

    @Test func rejectsALineWithoutColon() {
        #expect(throws: LabError.self) { try AnswerSheet.parse("server-state FIN_WAIT2") }
    }

    @Test func choicesAcceptTheirNumberOrSpellingInAnyCase() {
        let prediction = Prediction(id: "x", question: "?", kind: .choice(["FIN_WAIT2", "CLOSE_WAIT"])) { _ in nil }
        #expect(prediction.canonical("2") == "CLOSE_WAIT")
        #expect(prediction.canonical(" fin_wait2 ") == "FIN_WAIT2")
        #expect(prediction.canonical("FIN-WAIT-2") == "FIN_WAIT2")
        #expect(prediction.canonical("3") == nil)
        #expect(prediction.canonical("LISTEN") == "LISTEN", "another state: an answer, marked wrong (MeaningfulAnswerTests)")
        #expect(prediction.canonical("LISTENING") == nil)
        let number = Prediction(id: "n", question: "?", kind: .number) { _ in nil }
        #expect(number.canonical("011") == "11")
        #expect(number.canonical("eleven") == nil)
    }
}
