import Foundation
import Testing
import TCPLabKit

extension Live {
    /// Every lab sheet in Labs/ is runnable and complete: each `$ tcplab …` line of its ```sh
    /// blocks runs from the package root and exits 0, an autograding example's answers are right on
    /// this kernel, it has the sections a class needs, and it names every question its scenario's
    /// exercises ask; each `tcplab check` line of "Your own program" passes or fails as the sheet
    /// says next to it. A sheet cannot rot, and cannot drift from its exercise.
    @Suite(.timeLimit(.minutes(2)))
    struct LabSheetTests {
        static let sheets = LabSheet.all()
        /// The lines run here. The "Your own program" lines are checked by `ownProgramSection`
        /// and `ownProgramCheckHasItsSheetsVerdict` instead: a `watch` runs a server until Ctrl-C,
        /// and a `check` of a broken program is meant to fail (exit 1).
        static let commands = sheets.flatMap { (try? $0.commands()) ?? [] }.filter { !$0.runsOwnProgram }
        /// The "Your own program" lines that run `tcplab check`: each is run, and its verdict must
        /// be the one its `# passes` / `# fails` comment gives.
        static let ownChecks = sheets.flatMap { (try? $0.commands()) ?? [] }.filter { $0.runsOwnProgram && $0.arguments.first == "check" }

        /// Headings each sheet needs, as words a `## ` heading must contain.
        static let sections = ["predict", "look for", "change one thing", "instructor's answers", LabSheet.ownProgramSection]

        struct ExerciseResult: Decodable {
            struct Mark: Decodable { var id: String; var answer: String?; var observed: String?; var correct: Bool }
            var predictions: [Mark]
        }

        @Test func thereAreSheets() {
            #expect(Self.sheets.count >= 6, "Labs/ holds \(Self.sheets.map(\.name))")
        }

        @Test(arguments: commands)
        func commandExitsZero(_ command: LabSheet.Command) throws {
            let outcome = try TCPLabProcess.run(command.arguments, directory: LabSheet.packageRoot, timeout: 60)
            #expect(outcome.status == 0, "\(command): exit \(outcome.status)\nstderr: \(outcome.stderr)")
            // An autograding example's answers file is the sheet's own key: every answer it gives must
            // be right on this run. (A key may leave out a question whose answer depends on the
            // machine or on timing, such as a pid or a segment count.)
            guard command.arguments.first == "exercise", command.arguments.contains("--answers"),
                  command.arguments.contains("--json"), outcome.status == 0 else { return }
            let result = try JSONDecoder().decode(ExerciseResult.self, from: Data(outcome.stdout.utf8))
            for mark in result.predictions where mark.answer != nil && !mark.correct {
                Issue.record("\(command): \(mark.id): the answers file says \(mark.answer ?? "nothing"), this run showed \(mark.observed ?? "nothing")")
            }
        }

        /// A "Your own program" check line, run from the package root as a student would, exits
        /// as the sheet says next to it: 0 for `# passes`, 1 for `# fails` (2 would be a line
        /// `tcplab check` refuses, or a program that could not take its role).
        @Test(arguments: ownChecks)
        func ownProgramCheckHasItsSheetsVerdict(_ command: LabSheet.Command) throws {
            let verdict = try #require(command.verdict, "\(command): end the line with `# passes` or `# fails`")
            let outcome = try TCPLabProcess.run(command.arguments, directory: LabSheet.packageRoot, timeout: 90)
            let failed = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("  FAIL ") }
            #expect(outcome.status == verdict.status,
                    "\(command): the sheet says it \(verdict.rawValue), it exited \(outcome.status)\nfailed: \(failed)\nstderr: \(outcome.stderr)")
        }

        @Test(arguments: sheets)
        func sheetIsComplete(_ sheet: LabSheet) throws {
            let headings = sheet.headings
            for section in Self.sections {
                #expect(headings.contains { $0.contains(section) }, "\(sheet.name) has no `## …\(section)…` heading; it has: \(headings)")
            }
            let commands = try sheet.commands()
            #expect(!commands.isEmpty, "\(sheet.name) asks the student to run nothing")
            #expect(ScenarioCatalog.infos.contains { $0.name == sheet.scenario }, "\(sheet.name): no scenario named \(sheet.scenario)")
            guard ExerciseCatalog.all.contains(where: { $0.scenario == sheet.scenario }) else { return }
            let key = "Labs/answers/\(sheet.scenario).txt"
            let grading = "exercise \(sheet.scenario) --answers \(key) --json"
            #expect(commands.contains { $0.text.hasPrefix("tcplab " + grading) }, "\(sheet.name) has no `$ tcplab \(grading)` line")
            #expect(FileManager.default.fileExists(atPath: LabSheet.packageRoot.appendingPathComponent(key).path), "\(key) is missing")
            #expect(commands.contains { $0.arguments == ["exercise", sheet.scenario] }, "\(sheet.name) has no `$ tcplab exercise \(sheet.scenario)` line")
        }

        /// The "Your own program" section runs programs that exist, the way the commands take them:
        /// only `watch` and `check` lines; each `check` names a scenario, one of its variants and
        /// one role, with the program after `--`, and says whether it passes or fails; every `Labs/programs/…` file the sheet names is
        /// there, and the section runs at least one of them under `watch`, and one under `check` unless it says
        /// why none can be checked (`LabSheet.noCheckMarker`).
        @Test(arguments: sheets)
        func ownProgramSection(_ sheet: LabSheet) throws {
            let commands = try sheet.commands().filter(\.runsOwnProgram)
            let root = LabSheet.packageRoot
            for path in sheet.programPaths {
                #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(sheet.name) names \(path), which does not exist")
            }
            let runs = { (verb: String) in
                commands.contains { $0.arguments.first == verb && $0.arguments.contains { $0.hasPrefix("Labs/programs/") } }
            }
            #expect(runs("watch"), "\(sheet.name): \"Your own program\" runs no program of Labs/programs under `tcplab watch`")
            // A check line, or, where a student's program cannot be judged (loss is the kernel's
            // doing), a paragraph "No `tcplab check` here: <why>" and no check line at all.
            let reason = sheet.noCheckReason
            let both = reason.map { " (it has both; the reason: \($0))" } ?? ""
            #expect(runs("check") != (reason != nil),
                    "\(sheet.name): \"Your own program\" needs a `tcplab check` line of a Labs/programs program, or instead a paragraph `\(LabSheet.noCheckMarker): <why>`\(both)")
            for command in commands {
                let program = command.arguments.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? []
                switch command.arguments.first {
                case "watch":
                    continue
                case "check":
                    let options = Array(command.arguments.prefix { $0 != "--" })
                    let scenario = options.dropFirst().first ?? ""
                    guard let info = ScenarioCatalog.infos.first(where: { $0.name == scenario }) else {
                        Issue.record("\(command): no scenario named \(scenario)")
                        continue
                    }
                    if let flag = options.firstIndex(of: "--variant") {
                        let variant = options.indices.contains(flag + 1) ? options[flag + 1] : ""
                        #expect(info.variants.contains { $0.name == variant }, "\(command): \(scenario) has no variant \(variant)")
                    }
                    #expect(options.filter { $0 == "--server" || $0 == "--client" }.count == 1, "\(command): give one role, --server or --client")
                    #expect(!program.isEmpty, "\(command): no program after `--`")
                    #expect(command.verdict != nil, "\(command): end the line with `# passes` or `# fails`")
                default:
                    Issue.record("\(command): \"Your own program\" runs only `tcplab watch` and `tcplab check`")
                }
            }
        }

        /// Every question id of every exercise of a scenario is named (in backticks) in that
        /// scenario's sheet, and the sheet names no id its exercises do not have in answers files.
        @Test func everyExerciseQuestionIsInItsSheet() throws {
            for scenario in Set(ExerciseCatalog.all.map(\.scenario)).sorted() {
                guard let sheet = Self.sheets.first(where: { $0.scenario == scenario }) else {
                    Issue.record("the exercise for \(scenario) has no lab sheet Labs/NN-\(scenario).md")
                    continue
                }
                for exercise in ExerciseCatalog.all where exercise.scenario == scenario {
                    for prediction in exercise.predictions where !sheet.text.contains("`\(prediction.id)`") {
                        Issue.record("\(sheet.name) never names `\(prediction.id)` (\(exercise.variant ?? "default"): \(prediction.question))")
                    }
                }
            }
        }

        /// The answers file of each sheet answers only questions its scenario's default exercise
        /// asks (the CLI rejects unknown ids, and the command test would fail with less to go on),
        /// and at least one.
        @Test func answersFilesNameRealQuestions() throws {
            for sheet in Self.sheets {
                let key = LabSheet.packageRoot.appendingPathComponent("Labs/answers/\(sheet.scenario).txt")
                guard let text = try? String(contentsOf: key, encoding: .utf8) else { continue }
                let answers = try AnswerSheet.parse(text)
                let exercise = try #require(ExerciseCatalog.find(scenario: sheet.scenario, variant: nil), "no exercise for \(sheet.scenario)")
                let ids = Set(exercise.predictions.map(\.id))
                #expect(!answers.isEmpty && Set(answers.keys).isSubset(of: ids),
                        "\(key.lastPathComponent) answers \(answers.keys.sorted()), the exercise asks \(ids.sorted())")
            }
        }
    }
}

/// The sheet reader itself: which lines count as commands, and how they are split.
@Suite struct LabSheetParsingTests {
    @Test func splitsLikeAShell() throws {
        #expect(try LabSheet.split("tcplab scenario broken-pipe --variant fixed-client")
                == ["tcplab", "scenario", "broken-pipe", "--variant", "fixed-client"])
        #expect(try LabSheet.split(#"tcplab watch -- python3 -c 'print("a b")'"#) == ["tcplab", "watch", "--", "python3", "-c", #"print("a b")"#])
        #expect(try LabSheet.split(#"a "b \"c\" \d" e\ f"#) == ["a", #"b "c" \d"#, "e f"])
        #expect(try LabSheet.split("a ''  b  # a comment") == ["a", "", "b"])
        #expect(throws: LabSheet.ParseError.self) { try LabSheet.split("a 'b") }
    }

    @Test func onlyTcplabLinesOfShBlocksAreCommands() throws {
        let sheet = LabSheet(url: URL(fileURLWithPath: "/x/01-broken-pipe.md"), text: """
            $ tcplab scenario not-in-a-block
            ```
            $ tcplab scenario not-sh
            ```
            ```sh
            $ tcplab scenario broken-pipe --json   # as data
            $ ss -tan
            tcplab scenario no-prompt
            ```
            """)
        let commands = try sheet.commands()
        #expect(commands.map(\.arguments) == [["scenario", "broken-pipe", "--json"]])
        #expect(commands.first?.line == 6)
        #expect(sheet.scenario == "broken-pipe")
    }

    @Test func ownProgramLinesAreKnownByTheirSection() throws {
        let sheet = LabSheet(url: URL(fileURLWithPath: "/x/01-broken-pipe.md"), text: """
            ## Run it
            ```sh
            $ tcplab scenario broken-pipe
            ```
            ## Your own program
            Run `Labs/programs/once_server.py` (see Labs/programs/).
            ```sh
            ## not a heading inside a block
            $ tcplab watch --port 7777 -- python3 Labs/programs/once_server.py
            $ tcplab check broken-pipe --client -- python3 Labs/programs/line_client.py
            ```
            """)
        let commands = try sheet.commands()
        #expect(commands.map(\.runsOwnProgram) == [false, true, true])
        #expect(commands.first?.section == "run it")
        #expect(sheet.programPaths == ["Labs/programs/once_server.py", "Labs/programs/line_client.py"])
        #expect(commands.map(\.verdict) == [nil, nil, nil])
    }

    @Test func aSectionWithoutCheckLinesSaysWhy() {
        let reasoned = LabSheet(url: URL(fileURLWithPath: "/x/12-loss.md"), text: """
            ## Your own program
            Run it.

            No `tcplab check` here: loss is the kernel's doing, nothing of the program to grade.

            ## Autograding
            No `tcplab check` here: not in the section.
            """)
        #expect(reasoned.noCheckReason == "loss is the kernel's doing, nothing of the program to grade.")
        let bare = LabSheet(url: URL(fileURLWithPath: "/x/12-loss.md"), text: """
            ## Your own program
            No `tcplab check` here.

            ## Autograding
            No `tcplab check` here: the reason is outside the section, so it does not count.
            """)
        #expect(bare.noCheckReason == nil)
    }

    @Test func aCheckLineSaysItsVerdictInItsComment() throws {
        let sheet = LabSheet(url: URL(fileURLWithPath: "/x/01-broken-pipe.md"), text: """
            ## Your own program
            ```sh
            $ tcplab check broken-pipe --server -- python3 Labs/programs/once_server.py   # passes
            $ tcplab check broken-pipe --variant fixed-client --client -- python3 Labs/programs/line_client.py # fails
            $ tcplab check broken-pipe --server -- python3 x.py   # maybe
            ```
            """)
        let commands = try sheet.commands()
        #expect(commands.map(\.verdict) == [.passes, .fails, nil])
        #expect(commands.first?.arguments.last == "Labs/programs/once_server.py")
    }
}
