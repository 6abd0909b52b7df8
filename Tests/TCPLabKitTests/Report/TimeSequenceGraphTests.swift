import Testing
@testable import TCPLabKit

/// The time-sequence graph's axes on recorded runs: fitted to the data and ACKs (not the
/// window), with 1/2/5 × 10^n ticks, and the window edge clipped and labelled when above.
@Suite struct TimeSequenceGraphTests {
    func graph(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HTMLTimeSequence {
        let graphs = HTMLTimeSequence.graphs(try HTMLReportStoryTests.reference(name).segments)
        #expect(graphs.count == 1, "one direction carried data", sourceLocation: sourceLocation)
        return try #require(graphs.first, sourceLocation: sourceLocation)
    }

    func isNice(_ step: Double) -> Bool {
        var mantissa = step
        while mantissa >= 10 { mantissa /= 10 }
        while mantissa < 1 { mantissa *= 10 }
        return [1.0, 2, 5].contains { abs(mantissa - $0) < 1e-6 }
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func lossRtoFitsTheTwentySixBytesNotTheWindow() throws {
        let graph = try graph("loss-rto")
        #expect(graph.sequenceAxis.lower == 1 && graph.sequenceAxis.upper == 27)
        #expect(graph.sequenceAxis.ticks == [5, 10, 15, 20, 25])
        // First data segment 2.228 ms, last ACK of data 648.414 ms (the FIN's ACK left out).
        #expect(graph.timeAxis.lower < 2.228 && graph.timeAxis.lower > -30 && graph.timeAxis.upper > 648.414 && graph.timeAxis.upper < 700)
        #expect(graph.timeAxis.ticks == [0, 100, 200, 300, 400, 500, 600])
        let figure = graph.figure
        #expect(figure.contains(">window 65536 ↑</text>"))
        #expect(count("<g class=\"data retransmission\"", in: figure) == 2 && count("<g class=\"data\"", in: figure) == 1)
        #expect(figure.contains(">600</text>") && figure.contains(">25</text>") && !figure.contains("65564"))
    }

    @Test func fastRetransmitBurstFillsTheWidth() throws {
        let graph = try graph("loss-fast-retransmit")
        // The burst: 4.128 ms (first data) to 4.203 ms (the ACK of all 3000 bytes).
        #expect(graph.timeAxis.lower > 4.1 && graph.timeAxis.lower < 4.128)
        #expect(graph.timeAxis.upper > 4.203 && graph.timeAxis.upper < 4.22)
        #expect(graph.timeAxis.ticks == [4.13, 4.14, 4.15, 4.16, 4.17, 4.18, 4.19, 4.2])
        #expect(graph.timeAxis.label(4.2) == "4.20")
        #expect(graph.sequenceAxis.lower == 1 && graph.sequenceAxis.upper == 3001)
        #expect(graph.sequenceAxis.ticks == [500, 1000, 1500, 2000, 2500, 3000])
        let figure = graph.figure
        #expect(count("<g class=\"data retransmission\"", in: figure) == 1)
        #expect(figure.contains(">window 15884 ↑</text>"))
    }

    @Test func synLossShowsTheSynAndItsRetransmission() throws {
        let graph = try graph("loss-syn-loss")
        #expect(graph.syns.map(\.number) == [1, 2])
        #expect(graph.sequenceAxis.lower == 0 && graph.sequenceAxis.upper == 23)
        #expect(graph.timeAxis.lower < 0 && graph.timeAxis.upper > 1031.813 && graph.timeAxis.upper < 1100)
        #expect(graph.timeAxis.ticks == [0, 200, 400, 600, 800, 1000])
        let figure = graph.figure
        #expect(count("<g class=\"syn retransmission\"", in: figure) == 1 && count("<g class=\"syn\"", in: figure) == 1)
        // Elsewhere the handshake is left out: the data fills the graph.
        #expect(try self.graph("loss-fast-retransmit").syns.isEmpty)
    }

    @Test func flowControlAxesAndZeroWindows() throws {
        for name in ["flow-control-blocking", "flow-control-nonblocking"] {
            let graph = try graph(name)
            #expect(graph.sequenceAxis.lower == 1 && graph.sequenceAxis.upper == 16385, "\(name)")
            #expect(graph.sequenceAxis.ticks == [2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000], "\(name)")
            #expect(graph.timeAxis.lower < 2.369 && graph.timeAxis.lower > -35 && graph.timeAxis.upper > 757.814 - 10 && graph.timeAxis.upper < 800, "\(name)")
            #expect(graph.timeAxis.ticks == [0, 100, 200, 300, 400, 500, 600, 700], "\(name)")
            let figure = graph.figure
            #expect(count("<circle class=\"zero-window\"", in: figure) == 2, "\(name)")
            #expect(figure.contains("window 4096 ↑"), "\(name): the last window edge runs past the data")
        }
    }

    @Test func everyRecordedGraphHasNiceTicksAndFits800Pixels() throws {
        for name in ["loss-rto", "loss-fast-retransmit", "loss-syn-loss", "loss-tail-loss", "flow-control-blocking", "flow-control-nonblocking"] {
            for graph in HTMLTimeSequence.graphs(try HTMLReportStoryTests.reference(name).segments) {
                for axis in [graph.timeAxis, graph.sequenceAxis] {
                    #expect(isNice(axis.step), "\(name): step \(axis.step)")
                    #expect(axis.ticks.count >= 2 && axis.ticks.count <= 8, "\(name): \(axis.ticks)")
                    #expect(axis.ticks.allSatisfy { $0 >= axis.lower && $0 <= axis.upper }, "\(name)")
                    #expect(axis.ticks.allSatisfy { !axis.label($0).hasPrefix("-") }, "\(name): \(axis.ticks)")
                }
                let data = graph.data
                let highest = data.map { Double(Int($0.sequence) + $0.length) }.max() ?? 0
                #expect(graph.sequenceAxis.upper >= highest && graph.sequenceAxis.upper <= highest + 1, "\(name)")
                #expect(graph.figure.contains("width=\"680\""), "\(name)")
            }
        }
    }

    @Test func niceStepsAndLabels() {
        let axis = GraphAxis(lower: 0, upper: 159.483)
        #expect(axis.step == 20 && axis.ticks == [0, 20, 40, 60, 80, 100, 120, 140])
        #expect(GraphAxis(lower: 1, upper: 16391).ticks.last == 16000)
        #expect(GraphAxis(lower: 0, upper: 0.9).label(0.5) == "0.5")
        #expect(GraphAxis(lower: 3, upper: 3).upper > 3)
    }
}
