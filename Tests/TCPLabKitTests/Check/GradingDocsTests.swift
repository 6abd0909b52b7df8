import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TCPLabKit

/// docs/grading-workflow.yml is valid YAML (read by python3's yaml module, as GitHub's own parser
/// would) with a matrix over the submissions, and its commands are the ones docs/grading.md gives.
@Suite struct GradingDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")

    /// The workflow as python3's yaml module reads it, back as JSON: {"jobs": …, "permissions": …, "runs": [every run: line]}.
    static func workflow() throws -> [String: Any] {
        let reader = """
            import json, sys, yaml
            workflow = yaml.safe_load(open(sys.argv[1]))
            runs = [line for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
                    for line in step["run"].splitlines()]
            print(json.dumps({"jobs": workflow["jobs"], "permissions": workflow.get("permissions"), "runs": runs}))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", reader, docs.appendingPathComponent("grading-workflow.yml").path]
        let output = Pipe(), errors = Pipe()
        python.standardOutput = output
        python.standardError = errors
        try python.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let error = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        try #require(python.terminationStatus == 0, "python3 with yaml (apt-get install python3-yaml) could not read the workflow: \(error)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func workflowIsValidYAMLWithAMatrixOverSubmissions() throws {
        let workflow = try Self.workflow()
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let check = try #require(jobs["check"] as? [String: Any])
        let matrix = try #require((check["strategy"] as? [String: Any])?["matrix"] as? [String: Any])
        #expect(matrix["name"] as? String == "${{ fromJSON(needs.list.outputs.names) }}")
        #expect(check["needs"] as? String == "list")
    }

    /// action-junit-report publishes a check run: the workflow grants checks: write, and reads only.
    @Test func workflowGrantsWhatTheJUnitReporterNeeds() throws {
        let permissions = try #require(try Self.workflow()["permissions"] as? [String: String])
        #expect(permissions == ["contents": "read", "checks": "write"])
    }

    /// The list job's script, run by bash as GitHub runs it (`bash -e`): an empty submissions
    /// folder fails it with a message and no matrix; two submissions give their names as JSON.
    @Test func listJobFailsOnAnEmptySubmissionsFolder() throws {
        let jobs = try #require(try Self.workflow()["jobs"] as? [String: Any])
        let steps = try #require((jobs["list"] as? [String: Any])?["steps"] as? [[String: Any]])
        let script = try #require(steps.first { $0["id"] as? String == "list" }?["run"] as? String)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-grading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("submissions"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("github-output")
        func list() throws -> (status: Int32, text: String) {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let bash = Process()
            bash.executableURL = URL(fileURLWithPath: "/bin/bash")
            bash.arguments = ["-e", "-c", script]
            bash.currentDirectoryURL = directory
            bash.environment = ["GITHUB_OUTPUT": output.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            let pipe = Pipe()
            bash.standardOutput = pipe
            try bash.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            bash.waitUntilExit()
            return (bash.terminationStatus, text)
        }
        let empty = try list()
        #expect(empty.status != 0)
        #expect(empty.text.contains("::error::no submissions"), "\(empty.text)")
        #expect(try String(contentsOf: output, encoding: .utf8).isEmpty)
        for name in ["ada", "bob"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("submissions/\(name)"), withIntermediateDirectories: true)
        }
        let two = try list()
        #expect(two.status == 0)
        #expect(try String(contentsOf: output, encoding: .utf8) == "names=[\"ada\", \"bob\"]\n")
    }

    @Test func workflowRunsTheCommandsGradingMdGives() throws {
        let runs = try #require(try Self.workflow()["runs"] as? [String])
        let text = try String(contentsOf: Self.docs.appendingPathComponent("grading.md"), encoding: .utf8)
        let checks = runs.filter { $0.contains("tcplab check") }
        #expect(checks.count == 1, "\(runs)")
        for line in runs where line.contains("tcplab") || line.contains("results") {
            #expect(text.contains(line), "grading.md does not give the workflow's command: \(line)")
        }
        // The local command is the same check, without sudo, with its output kept in a file.
        let ci = try #require(checks.first).replacingOccurrences(of: "sudo ", with: "")
        #expect(text.contains("  " + ci + " > \"results/$name.txt\" 2>&1"), "the local xargs command differs from the CI one: \(ci)")
    }

    /// "What can be graded" has a row for every check of the catalog: its scenario, its role and
    /// its variant (unless the variant is the scenario's first, which the command may leave out).
    @Test func everyCheckIsInTheListOfWhatCanBeGraded() throws {
        let text = try String(contentsOf: Self.docs.appendingPathComponent("grading.md"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for plan in CheckCatalog.all {
            let first = ScenarioCatalog.infos.first { $0.name == plan.scenarioName }?.variants.first?.name
            let found = rows.contains { row in
                row.hasPrefix("| `\(plan.scenarioName) ") && row.contains("\(plan.role.flag)`")
                    && (plan.variantName == first || row.contains(plan.variantName))
            }
            #expect(found, "docs/grading.md has no row for \(plan.scenarioName) --variant \(plan.variantName) \(plan.role.flag)")
        }
    }
}

/// The JUnit XML `--junit` writes, built from verdicts: counts, escaping, one case per claim.
@Suite struct JUnitReportTests {
    @Test func oneCasePerClaimWithTheEvidenceAsFailureMessage() throws {
        let run = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("Fixtures/check-broken-pipe-default.json")))
        var report = CheckReport(plan: try CheckCatalog.find(scenario: "broken-pipe", variant: nil, role: .server),
                                 program: StudentProgram(command: ["python3", "a<b&\"c\".py"]), traced: true, run: run)
        report.claims[1].holds = false
        report.claims[1].evidence = "seen instead: no FIN <from> the \"server\""
        let xml = JUnitReport(report, seconds: 1.5).xml
        #expect(xml.contains("<testsuites name=\"tcplab check\" tests=\"6\" failures=\"1\" errors=\"0\" time=\"1.500\">"))
        #expect(xml.contains("classname=\"tcplab.broken-pipe.default.server\""))
        #expect(xml.contains("<failure message=\"seen instead: no FIN &lt;from&gt; the &quot;server&quot;\""))
        #expect(xml.contains("value=\"python3 a&lt;b&amp;&quot;c&quot;.py\""))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 6)
        #expect(XMLParser(data: Data(xml.utf8)).parse(), "Foundation's XML parser rejects it")
    }
}
