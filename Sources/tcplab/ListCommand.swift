import ArgumentParser
import TCPLabKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the scenarios and their variants.")

    @Flag(help: "Print the list as JSON: [{name, summary, variants: [{name, summary}]}]; the first variant is the default.")
    var json = false

    func run() {
        if json {
            emitJSON(ScenarioCatalog.infos)
            return
        }
        for info in ScenarioCatalog.infos {
            emit("\(info.name)  —  \(info.summary)")
            let width = info.variants.map(\.name.count).max() ?? 0
            for (index, variant) in info.variants.enumerated() {
                let name = variant.name + String(repeating: " ", count: width - variant.name.count)
                emit("    --variant \(name)  \(variant.summary)\(index == 0 ? " (default)" : "")")
            }
        }
    }
}
