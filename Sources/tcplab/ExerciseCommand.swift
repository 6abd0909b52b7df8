import ArgumentParser
import Foundation
import TCPLabKit

struct ExerciseCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Predict what a scenario will show, then run it and see which predictions this run bears out.",
        discussion: """
            The questions come first (type the answer or the number of a choice). Then the scenario runs \
            live and each prediction is marked against what this run observed. For autograding, give the \
            answers in a file: `id: answer` lines, or a JSON object; `--questions` lists the ids. \
            Ctrl-C stops it at any moment, during the questions too, with exit status 130.
            """)

    @Argument(help: "The scenario; `tcplab list` shows them.")
    var name: String

    @Option(help: "Answers file (`id: answer` lines or a JSON object) instead of asking in the terminal.")
    var answers: String?

    @Flag(help: "Only print the questions and their ids (an answers-file template), without running.")
    var questions = false

    @Flag(help: "Print predictions, observations, marks and the whole run as JSON.")
    var json = false

    @OptionGroup var options: RunOptions

    struct Result: Encodable {
        var scenario: String
        var variant: String
        var predictions: [PredictionMark]
        var score: Int
        var total: Int
        var run: RunReport
    }

    var takesInterrupts: Bool { !questions }

    func run() throws {
        let session = try LiveSession(name: name, variant: options.variant)
        guard let exercise = ExerciseCatalog.find(scenario: name, variant: options.variant) else {
            let names = Set(ExerciseCatalog.all.map(\.scenario)).sorted().joined(separator: ", ")
            throw fail("no exercise for \(name)\(options.variant.map { " --variant \($0)" } ?? ""); exercises: \(names)")
        }
        if questions {
            for prediction in exercise.predictions { emit("\(prediction.id): \(Self.prompt(prediction))") }
            return
        }
        // Entered before the questions, so Ctrl-C while they are answered is taken too.
        let isolation = session.enter(options)
        let given: [String: String]
        if let answers {
            guard let text = try? String(contentsOfFile: answers, encoding: .utf8) else {
                throw fail("cannot read the answers file \(answers)")
            }
            do { given = try AnswerSheet.parse(text) } catch { throw fail(error.description) }
            let unknown = Set(given.keys).subtracting(exercise.predictions.map(\.id))
            if !unknown.isEmpty { throw fail("the answers file names no such question: \(unknown.sorted().joined(separator: ", "))") }
        } else {
            // With --json the questions go to stderr, so standard output stays one JSON document.
            given = Self.ask(exercise.predictions, say: json ? { line in
                Interruption.shared.unlessInterrupted { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            } : emit)
        }

        let (report, lab, stopped) = try session.run(options, isolation: isolation, quiet: json)
        let marks = exercise.predictions.map { PredictionMark($0, answer: given[$0.id], report: report) }
        let score = marks.filter(\.correct).count
        if json {
            emitJSON(Result(scenario: session.info.name, variant: session.variant, predictions: marks,
                            score: score, total: marks.count, run: report))
        } else {
            if let style = lab.options.ladder { LadderPrinter.print(Ladder(report: report), style: style) }
            ClaimPrinter.print(report.claims, stopped: stopped, pcap: lab.pcapPath)
            emit("")
            emit("your predictions, marked against this run")
            for mark in marks {
                emit("  \(mark.correct ? "right" : "wrong")  \(mark.question)")
                emit("         you said \(mark.answer ?? "nothing"); this run showed \(mark.observed ?? "nothing to compare")")
            }
            emit("score: \(score)/\(marks.count)")
        }
        if !report.passed { throw ExitCode(1) }
    }

    /// `Which state…? (1 ESTABLISHED, 2 FIN_WAIT1, …)` or `… (a number)`.
    static func prompt(_ prediction: Prediction) -> String {
        switch prediction.kind {
        case .number: return "\(prediction.question) (a number)"
        case .choice(let choices):
            let listed = choices.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
            return "\(prediction.question) (\(listed))"
        }
    }

    /// Asks each question on the terminal until it gets a valid answer; at end of input, the rest stay unanswered.
    static func ask(_ predictions: [Prediction], say emit: (String) -> Void) -> [String: String] {
        var answers: [String: String] = [:]
        emit("predict first: answer each question before the run")
        for prediction in predictions {
            while true {
                emit("? \(prompt(prediction))")
                guard let line = readLine() else { return answers }
                if let answer = prediction.canonical(line) {
                    answers[prediction.id] = answer
                    break
                }
                emit("  not one of the choices; try again")
            }
        }
        emit("")
        return answers
    }
}
