import Foundation
import Testing

/// `--json` against docs/json.md: every scenario variant's JSON parses, carries every claim with
/// id, statement, verdict and evidence, and has every segment field the document lists.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct JSONSchemaTests {
        static let docs = referenceDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/json.md")

        /// The fields of the `## Segment` table: (name, optional).
        static func documentedSegmentFields() throws -> [(name: String, optional: Bool)] {
            let text = try String(contentsOf: docs, encoding: .utf8)
            var inSection = false
            var fields: [(String, Bool)] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("## ") { inSection = line == "## Segment" }
                guard inSection, line.hasPrefix("| `") else { continue }
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                fields.append((cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[1].contains("optional")))
            }
            return fields
        }

        /// Checks one run's JSON; returns the segment keys seen, for the optional fields.
        @discardableResult
        static func check(_ text: String, _ what: String) throws -> Set<String> {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(what): not a JSON object")
            for key in ["scenario", "variant", "network", "server", "segments", "steps", "ends", "snapshots", "notes", "claims", "passed"] {
                #expect(object[key] != nil, "\(what): no \(key)")
            }
            // JSONDecoder takes only `true`/`false` for a Bool and only strings for a String.
            struct FullClaim: Decodable { var id: String; var statement: String; var holds: Bool; var evidence: String }
            struct Claims: Decodable { var claims: [FullClaim] }
            let claims = try JSONDecoder().decode(Claims.self, from: Data(text.utf8)).claims
            #expect(!claims.isEmpty, "\(what): no claims")
            for claim in claims { #expect(!claim.id.isEmpty && !claim.statement.isEmpty && !claim.evidence.isEmpty, "\(what): \(claim)") }
            #expect(try RunJSON.decode(text).claims.count == claims.count)
            return try segmentKeys(object["segments"], what)
        }

        /// Every segment has every documented non-optional field; returns all keys seen.
        static func segmentKeys(_ value: Any?, _ what: String) throws -> Set<String> {
            let segments = try #require(value as? [[String: Any]], "\(what): segments is not an array of objects")
            let required = try documentedSegmentFields().filter { !$0.optional }.map(\.name)
            var seen = Set<String>()
            for segment in segments {
                let keys = Set(segment.keys)
                seen.formUnion(keys)
                for field in required { #expect(keys.contains(field), "\(what): segment \(segment["number"] ?? "?") has no \(field)") }
            }
            return seen
        }

        @Test func theDocumentListsTheSegmentFields() throws {
            let fields = try Self.documentedSegmentFields()
            #expect(fields.count >= 15)
            #expect(fields.contains { $0.name == "acknowledgment" && $0.optional })
            #expect(fields.contains { $0.name == "flags" && !$0.optional })
        }

        @Test func everyReferenceRunMatchesTheDocument() throws {
            var seen = Set<String>()
            for reference in try shippedReferences() {
                seen.formUnion(try Self.check(try String(contentsOfFile: reference.path, encoding: .utf8), reference.path))
                let replayed = try TCPLabProcess.run(["scenario", reference.scenario, "--variant", reference.variant, "--replay", "--json"])
                try Self.check(replayed.stdout, "\(reference.scenario) \(reference.variant) --replay")
            }
            // `truncated` marks foreign captures only: a fidelity capture whose IP lengths run past the frames.
            let fidelity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("captures/fidelity/ip-length-beyond-frame.pcap").path
            // `headerBytesCaptured` likewise: a capture whose snapshot length cut a TCP header;
            // `urgentPointer`: a capture with URG set (odd flag combinations).
            let others = ["snaplen-cut-header", "odd-flags"].map { fidelity.replacingOccurrences(of: "ip-length-beyond-frame", with: $0) }
            for file in [fidelity] + others {
                let decoded = try TCPLabProcess.run(["decode", "--json", file])
                seen.formUnion(try Self.segmentKeys(try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)), "decode \(file)"))
            }
            // Optional fields are absent from some segments, but every documented field shows up somewhere.
            for field in try Self.documentedSegmentFields() { #expect(seen.contains(field.name), "no segment anywhere has \(field.name)") }
        }

        @Test(arguments: [["broken-pipe"], ["close-states", "--variant", "client-first"], ["refused"], ["zombie", "--variant", "no-reap"]])
        func liveRunsMatchTheDocument(arguments: [String]) throws {
            let outcome = try TCPLabProcess.run(["scenario"] + arguments + ["--json"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            try Self.check(outcome.stdout, arguments.joined(separator: " "))
        }

        @Test func decodeAndStatesUseTheSameShapes() throws {
            let decoded = try TCPLabProcess.run(["decode", referenceDirectory.appendingPathComponent("broken-pipe-default.pcap").path, "--json"])
            #expect(decoded.status == 0)
            let keys = try Self.segmentKeys(try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)), "decode --json")
            #expect(keys.contains("payloadPreview"))

            let states = try TCPLabProcess.run(["states", "--json"])
            #expect(states.status == 0, "stderr: \(states.stderr)")
            let sockets = try #require(try JSONSerialization.jsonObject(with: Data(states.stdout.utf8)) as? [[String: Any]])
            for socket in sockets {
                for field in ["local", "remote", "state", "receiveQueue", "sendQueue", "timer", "kernelTimer", "inode", "uid", "owners"] {
                    #expect(socket[field] != nil, "states --json socket has no \(field)")
                }
                #expect(socket["role"] == nil)
            }
        }
    }
}
