import ArgumentParser
import Foundation
import TCPLabKit

struct ExerciseCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Predict what a scenario will show, then run it and see which predictions this run bears out.",
        discussion: """
            The questions come first (type the answer or the number of a choice). Then the scenario runs \
            live, or with --replay its shipped reference recording is shown (no privilege needed), and each \
            prediction is marked against what that run observed. For autograding, give the answers in a \
            file: `id: answer` lines, or a JSON object; `--questions` lists the ids. A question left \
            unanswered counts as wrong. Ctrl-C stops it at any moment, during the questions too, with exit \
            status 130. Exit status: 0 when the run's claims hold (whatever the score), 1 when one does \
            not, 2 for bad input (an answers file with an unknown id, an id twice, no answers, or an \
            answer that is none of the choices).
            """)

    @Argument(help: "The scenario; `tcplab list` shows them.", completion: .list(CompletionNames.exercises))
    var name: String

    @Option(help: "Answers file (`id: answer` lines or a JSON object) instead of asking in the terminal.")
    var answers: String?

    @Flag(help: "Only print the questions and their ids (an answers-file template), without running.")
    var questions = false

    @Flag(help: "Print predictions, observations, marks and the whole run as JSON.")
    var json = false

    @Flag(help: "Mark the predictions against the shipped reference recording of this scenario and variant instead of a live run. Needs no privilege.")
    var replay = false

    @Option(name: .customLong("from"), help: ArgumentHelp(
        "With --replay: mark against the recording in this directory (NAME-VARIANT.json and .pcap) or this JSON file instead of the shipped one.",
        valueName: "DIR"))
    var from: String?

    @OptionGroup var options: RunOptions

    struct Result: Encodable {
        var scenario: String
        var variant: String
        var predictions: [PredictionMark]
        var score: Int
        var total: Int
        /// The ids of the questions the answers left out (they count as wrong).
        var unanswered: [String]
        /// The recording marked against, with --replay; absent for a live run.
        var replayedFrom: String?
        var run: RunReport
    }

    var takesInterrupts: Bool { !questions && !replay }

    func validate() throws {
        try options.refuseLiveOnly(replay: replay, from: from)
    }

    func run() throws {
        // Looks the scenario and variant up (or fails with the usage error) before anything else.
        let live = replay ? nil : try LiveSession(name: name, variant: options.variant, clients: options.clients, pcap: options.pcap)
        let replaying = replay ? try ReplaySession(name: name, variant: options.variant, from: from, palette: options.palette) : nil
        guard let exercise = ExerciseCatalog.find(scenario: name, variant: options.variant) else {
            let names = Set(ExerciseCatalog.all.map(\.scenario)).sorted().joined(separator: ", ")
            throw fail("no exercise for \(name)\(options.variant.map { " --variant \($0)" } ?? ""); exercises: \(names)")
        }
        if questions {
            for prediction in exercise.predictions { emit("\(prediction.id): \(Self.prompt(prediction))") }
            return
        }
        // Entered before the questions, so Ctrl-C while they are answered is taken too.
        let isolation = live?.enter(options)
        let given: [String: String]
        if let answers {
            guard let text = try? String(contentsOfFile: answers, encoding: .utf8) else {
                throw fail("cannot read the answers file \(answers)")
            }
            do { given = try AnswerSheet.answers(text, for: exercise) } catch { throw fail("answers file \(answers): \(error.description)") }
        } else {
            // With --json the questions go to stderr, so standard output stays one JSON document.
            given = Self.ask(exercise.predictions, say: json ? { line in
                Interruption.shared.unlessInterrupted { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            } : emit)
        }

        let report: RunReport
        let scenario: String, variant: String
        if let replaying {
            let replayed = try replaying.replay(quiet: json, absolute: options.absolute)
            report = replayed.report
            (scenario, variant) = (replaying.info.name, replaying.variant)
            if !json { replaying.printEnd(replayed, ladder: options.ladderStyle) }
            printMarks(exercise, given: given, report: report, scenario: scenario, variant: variant, replayedFrom: replayed.shown)
        } else if let live, let isolation {
            let (run, lab, stopped) = try live.run(options, isolation: isolation, quiet: json)
            Interruption.shared.beginEnding()
            report = run
            (scenario, variant) = (live.info.name, live.variant)
            if !json {
                if let style = lab.options.ladder { LadderPrinter.print(Ladder(report: report), style: style) }
                ClaimPrinter.print(report.claims, stopped: stopped, pcap: lab.pcapPath, palette: lab.options.palette)
            }
            printMarks(exercise, given: given, report: report, scenario: scenario, variant: variant, replayedFrom: nil)
        } else {
            return
        }
        if !report.passed { throw ExitCode(1) }
    }

    /// The marks, each wrong one with its reason, and the score: right answers over questions asked.
    func printMarks(_ exercise: Exercise, given: [String: String], report: RunReport, scenario: String, variant: String,
                    replayedFrom: String?) {
        let marks = exercise.predictions.map { PredictionMark($0, answer: given[$0.id], report: report) }
        let score = marks.filter(\.correct).count
        let unanswered = marks.filter { $0.answer == nil }.map(\.id)
        if json {
            emitJSON(Result(scenario: scenario, variant: variant, predictions: marks, score: score, total: marks.count,
                            unanswered: unanswered, replayedFrom: replayedFrom, run: report))
            return
        }
        emit("")
        emit(replayedFrom == nil ? "your predictions, marked against this run" : "your predictions, marked against the recorded run")
        for mark in marks {
            emit("  \(mark.correct ? "right" : "wrong")  \(mark.question)")
            if mark.correct {
                emit("         you said \(mark.said ?? "nothing"); the run showed \(mark.observed ?? "nothing to compare")")
            } else if let answer = mark.said {
                emit("         you said \(answer); \(mark.reason ?? "")")
            } else {
                emit("         \(mark.reason ?? "not answered")")
            }
        }
        emit("score: \(score)/\(marks.count)" + (unanswered.isEmpty ? "" : " (not answered: \(unanswered.joined(separator: ", ")))"))
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
                if prediction.canonical(line) != nil {
                    // As typed: the mark reads it again and echoes both spellings.
                    answers[prediction.id] = line.trimmingCharacters(in: .whitespaces)
                    break
                }
                emit("  \(prediction.why(invalid: line)); try again")
            }
        }
        emit("")
        return answers
    }
}
