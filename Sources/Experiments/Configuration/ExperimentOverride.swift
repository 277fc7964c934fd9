import Yams

/// `--set PATH=VALUE`: one setting of an experiment file replaced on the command line. PATH is
/// a top-level field or a path in it (`totalSteps`, `seeds`, `evaluation.episodes`) or a
/// training setting (`learningRate`, `loss.entropyCoefficient`, or its flag name such as
/// `learning-rate`), which goes under `hyperparameters`; VALUE is YAML (`3e-4`, `[1, 2]`, `true`).
/// The result is checked exactly as the file would be.
public struct ExperimentOverride: Equatable {
    /// `PATH=VALUE` as given.
    public let text: String
    /// Where the value goes in the document.
    let documentPath: [String]
    let value: Node

    /// nil when `text` is not `PATH=VALUE` or VALUE is not YAML.
    public init?(_ text: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].split(separator: ".").count > 0,
            let value = (try? Yams.compose(yaml: parts[1]))??.unmarked
        else { return nil }
        let components = parts[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.text = text
        self.value = value
        if ExperimentConfiguration.fields.contains(components[0]) {
            documentPath = components
        } else if let setting = TrainingSettings.setting(named: parts[0]) {
            documentPath = ["hyperparameters"] + setting.path.split(separator: ".").map(String.init)
        } else {
            documentPath = ["hyperparameters"] + components
        }
    }
}

extension Node {
    /// This object with `value` at `path` (objects on the way created when missing); nil when
    /// something on the way is not an object.
    func setting(_ value: Node, at path: ArraySlice<String>) -> Node? {
        guard let key = path.first else { return value }
        guard var mapping = self.mapping else { return nil }
        let child = mapping[key] ?? .mapping(.init([]))
        guard let updated = child.setting(value, at: path.dropFirst()) else { return nil }
        mapping[key] = updated
        return .mapping(mapping)
    }
}
