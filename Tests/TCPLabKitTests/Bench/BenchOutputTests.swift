import Foundation
import Testing
@testable import TCPLabKit

/// The table, CSV and SVG written from fixed rows, and the /proc parsers on recorded text.
@Suite struct BenchOutputTests {
    static var rows: [BenchRow] {
        var epoll = BenchRow(model: .epoll, clients: 10, requestsPerConnection: 100)
        epoll.requestsPerSecond = 50_000
        epoll.requests = 1000
        epoll.seconds = 0.02
        epoll.p50Milliseconds = 0.1
        epoll.p99Milliseconds = 0.25
        epoll.served = 10
        var big = epoll
        big.clients = 10_000
        big.requestsPerSecond = 30_000
        var select = BenchRow(model: .select, clients: 10_000, requestsPerConnection: 10)
        select.requestsPerSecond = 20_000
        select.served = 1017
        select.refused = 8983
        select.note = "select: fd 1024 >= FD_SETSIZE (1024): refused, \"closed\""
        let fork = BenchRow(model: .fork, clients: 10_000, requestsPerConnection: 10, skipped: "a process per client")
        return [epoll, big, select, fork]
    }

    @Test func csvHasHeaderQuotingAndEmptyCellsForSkipped() {
        let lines = BenchTable.csv(Self.rows).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("model,clients,requests_per_connection,skipped,requests,seconds,requests_per_second,p50_ms,p99_ms,peak_rss_kb"))
        #expect(lines[1].hasPrefix("epoll,10,100,,1000,0.020,50000.0,0.1000,0.2500,"))
        #expect(lines[3].hasSuffix(",\"select: fd 1024 >= FD_SETSIZE (1024): refused, \"\"closed\"\"\""))
        #expect(lines[4] == "fork,10000,10,a process per client" + String(repeating: ",", count: 19))
        #expect(lines.allSatisfy { $0.filter { $0 == "," }.count >= 22 })
    }

    @Test func textTableAlignsAndExplainsSkips() {
        let lines = BenchTable.text(Self.rows)
        #expect(lines[0].hasPrefix("model   clients  req/conn  requests/s"))
        #expect(lines[1].hasPrefix("epoll        10       100       50000   0.100   0.250"))
        #expect(lines[4].hasSuffix("skipped: a process per client"))
    }

    @Test func svgHasOneLinePerModelLogAxisAndLegend() {
        let svg = ThroughputPlot.svg(Self.rows, subtitle: "test")
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)  // epoll and select; fork was skipped
        #expect(svg.contains("data-model=\"epoll\"") && svg.contains("data-model=\"select\"") && !svg.contains("data-model=\"fork\""))
        #expect(svg.contains(">select: 1,017 served, 8,983 refused</text>"))
        for label in [">10<", ">100<", ">1,000<", ">10,000<", "concurrent clients (log scale)", "requests per second"] {
            #expect(svg.contains(label), "missing \(label)")
        }
        // Log axis: 10, 100, 1,000 and 10,000 are evenly spaced (90 + k * 560/3).
        #expect(svg.contains("x=\"90.0\" y=\"448.0\" text-anchor=\"middle\">10<"))
        #expect(svg.contains("x=\"276.7\" y=\"448.0\" text-anchor=\"middle\">100<"))
        #expect(svg.contains("x=\"650.0\" y=\"448.0\" text-anchor=\"middle\">10,000<"))
    }

    @Test func niceScales() {
        #expect(ThroughputPlot.niceScale(88_430) == (100_000, 20_000))
        #expect(ThroughputPlot.niceScale(12) == (15, 5))  // a target step of 12 / 5 = 2.4 rounds up to 5
        #expect(ThroughputPlot.grouped(1_234_567) == "1,234,567")
    }

    @Test func procParsers() {
        // /proc/PID/status excerpt (tabs and padding as the kernel writes them) and a schedstat line.
        let status = "Name:\ttcplab\nVmPeak:\t  120000 kB\nVmHWM:\t   22528 kB\nVmRSS:\t   22000 kB\nThreads:\t1\n"
        #expect(ServerUsage.field("VmHWM", in: status) == 22528)
        #expect(ServerUsage.field("Threads", in: status) == 1)
        #expect(ServerUsage.field("VmSwap", in: status) == nil)
        #expect(ServerUsage.schedule("159971998 297118006 433\n")! == (159_971_998, 297_118_006))
    }

    @Test func planSkipsAndBounds() {
        let bench = ConcurrencyBench(models: [.iterative, .epoll, .fork], clients: [10, 10_000], requestsPerConnection: nil,
                                     seconds: 5, generators: 1, requestSize: 64, selectRoom: nil)
        // Run order: every model at 10, then at 10,000; table order: by model, then clients.
        let rows = [10, 10_000].flatMap { count in bench.models.map { BenchRow(model: $0, clients: count, requestsPerConnection: 1) } }
        #expect(bench.tableOrder(rows).map { "\($0.model)@\($0.clients)" } == ["iterative@10", "iterative@10000", "epoll@10", "epoll@10000", "fork@10", "fork@10000"])
        #expect(ConcurrencyBench.skipReason(model: .fork, clients: 10_000) != nil)
        #expect(ConcurrencyBench.skipReason(model: .fork, clients: 1000) == nil)
        #expect(ConcurrencyBench.skipReason(model: .epoll, clients: 10_000) == nil)
        #expect(bench.requests(for: .iterative, clients: 10) == 1)
        #expect(bench.requests(for: .epoll, clients: 10) == 10_000)
        #expect(bench.requests(for: .epoll, clients: 10_000) == 10)
    }

    @Test func medianOfRuns() throws {
        let runs = [300.0, 100, 200].map { rate -> BenchRow in
            var row = BenchRow(model: .epoll, clients: 10, requestsPerConnection: 1)
            row.requestsPerSecond = rate
            return row
        }
        let failed = BenchRow(model: .epoll, clients: 10, requestsPerConnection: 1, skipped: "run failed: x")
        let median = try #require(ConcurrencyBench.median(runs + [failed]))
        #expect(median.requestsPerSecond == 200)
        #expect(median.note == "median of 3 runs (100-300 requests/s)")
        #expect(ConcurrencyBench.median([failed])?.skipped == "run failed: x")
        #expect(ConcurrencyBench.median([runs[0]])?.note.isEmpty == true)
        #expect(ConcurrencyBench.median([]) == nil)
    }

    @Test func loadResultsMerge() {
        var first = LoadResult(connections: 5), second = LoadResult(connections: 5)
        first.requests = 10; second.requests = 20
        first.elapsedMicroseconds = 100; second.elapsedMicroseconds = 300
        first.busiestCPUMicroseconds = 90; second.busiestCPUMicroseconds = 50; second.busiestWaitMicroseconds = 60
        first.merge(second)
        #expect(first.connections == 10 && first.requests == 30 && first.elapsedMicroseconds == 300)
        #expect(first.busiestCPUMicroseconds == 50 && first.busiestWaitMicroseconds == 60)
    }

    @Test func modelsReadFromTheCommandLineByName() throws {
        #expect(try BenchModel.parse(list: "fork, epoll-et,select") == [.fork, .epollET, .select])
        #expect(BenchModel.allCases.map(\.rawValue) == ["iterative", "fork", "thread", "select", "poll", "epoll", "epoll-et"])
        #expect("\(BenchModel.epollET)" == "epoll-et")
        #expect(throws: LabError.self) { try BenchModel.parse(list: "epoll,nope") }
        do {
            _ = try BenchModel.parse(list: "epoll,nope,epollET")
            Issue.record("unknown models accepted")
        } catch {
            #expect(error.description == "unknown model nope, epollET; models: iterative, fork, thread, select, poll, epoll, epoll-et")
        }
        do {
            _ = try BenchModel.parse(list: ",")
            Issue.record("an empty list accepted")
        } catch {
            #expect(error.description == "no model given; models: iterative, fork, thread, select, poll, epoll, epoll-et")
        }
    }

    @Test func benchRolesCrossTheProcessBoundaryAsDescriptions() throws {
        let server = SocketAddress(address: try #require(IPAddress("127.0.0.1")), port: 9000)
        let programs: [RoleProgram] = [
            .benchServer(BenchServer(model: .epollET, backlog: 4160, connections: 100)),
            .benchServer(BenchServer(model: .select, backlog: 4096, connections: 10, selectRoom: 4)),
            .benchClients(BenchClients(connections: 10, requestsPerConnection: 20, seconds: 2.5, connectSeconds: 20,
                                       requestSize: 64, closeWhenDone: true)),
        ]
        for program in programs {
            let description = RoleDescription(program, server: server)
            #expect(RoleDescription(json: description.json) == description, "\(description.json)")
        }
        #expect(RoleDescription(programs[0], server: server).json.contains("\"epoll-et\""))
        // The generator's bounds hold whatever share of the clients it is given.
        let clamped = BenchClients(connections: 0, requestsPerConnection: 0, seconds: 1, connectSeconds: 1, requestSize: 10_000, closeWhenDone: false)
        #expect(clamped.connections == 1 && clamped.requestsPerConnection == 1 && clamped.requestSize == 4096)
    }
}
