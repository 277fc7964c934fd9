import Foundation
import Learning
import Testing

@testable import Experiments

/// The project root (for the shipped configs), found from this file's path.
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("Experiment configurations")
struct ConfigurationTests {
    static func problems(_ text: String, json: Bool = true) -> [String] {
        do {
            _ = try ExperimentConfiguration.parse(text, file: "bad.json", strictJSON: json)
            return []
        } catch let ExperimentError.invalidConfiguration(path, problems) {
            #expect(path == "bad.json")
            return problems
        } catch {
            return ["unexpected error \(error)"]
        }
    }

    static let valid = """
        {"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1]}
        """

    @Test("the shipped configurations load and expand to the papers' grids")
    func shippedConfigurations() throws {
        let directory = projectRoot.appendingPathComponent("experiments")
        let icml = try ExperimentConfiguration.load(path: directory.appendingPathComponent("icml-table.json").path)
        #expect(icml.runs.count == 6 * 2 * 2 * 5)
        #expect(icml.runs.allSatisfy { $0.training.totalSteps == 10_000_000 && $0.training.batchSize == 2048 })
        #expect(Set(icml.runs.map(\.id)).count == icml.runs.count, "run ids are unique")
        let deep = icml.runs.first { $0.network == "7-layer" }!
        #expect(deep.training.actorHidden == [256, 256, 128, 128, 64, 64] && deep.training.criticHidden == [64, 64])

        let arxiv = try ExperimentConfiguration.load(path: directory.appendingPathComponent("arxiv-table.json").path)
        #expect(arxiv.runs.count == 6 * 4 * 2 * 5)
        #expect(
            Set(arxiv.runs.filter { $0.training.algorithm == "spo-kl" }.map(\.training.klLimit)) == [0.01, 0.02, 0.03])

        let quickstart = try ExperimentConfiguration.load(
            path: directory.appendingPathComponent("quickstart.yaml").path)
        #expect(
            quickstart.runs.map(\.seed) == [1, 2, 3] && quickstart.runs.allSatisfy { $0.training.algorithm == "spo" })
        let smoke = try ExperimentConfiguration.load(path: directory.appendingPathComponent("smoke.json").path)
        #expect(
            smoke.runs.count == 8 && smoke.runs.allSatisfy { $0.training.environments == 4 && $0.training.updates == 4 }
        )
        let baselines = try ExperimentConfiguration.load(path: directory.appendingPathComponent("baselines.yaml").path)
        #expect(baselines.runs.count == 9 && Set(baselines.runs.map(\.training.algorithm)) == ["trpo", "ppo", "spo"])
        let reduced = try ExperimentConfiguration.load(path: directory.appendingPathComponent("icml-1m.json").path)
        #expect(reduced.runs.count == 6 * 2 * 2 * 3 && reduced.runs.allSatisfy { $0.training.totalSteps == 1_000_000 })
        #expect(Set(reduced.runs.map(\.training.actorHidden)) == Set(icml.runs.map(\.training.actorHidden)))
    }

    /// Committed results are matched to their configurations by id: settings added later must
    /// leave the ids of runs that do not use them unchanged (these were published before).
    @Test(
        "the ids of published runs never change",
        arguments: [
            ("quickstart.yaml", "Hopper-v4_spo_3-layer_s1_e7b498ab6461"),
            ("icml-table.json", "Ant-v4_ppo_3-layer_s1_"),
        ])
    func publishedIdentifiers(file: String, expectedPrefix: String) throws {
        let path = projectRoot.appendingPathComponent("experiments").appendingPathComponent(file).path
        let first = try #require(ExperimentConfiguration.load(path: path).runs.first)
        #expect(first.id.hasPrefix(expectedPrefix))
    }

    @Test("the classic baselines' settings are configurable fields")
    func baselineSettings() throws {
        let text = """
            {"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["trpo", "npg"], "seeds": [1],
             "hyperparameters": {"trustRegionDelta": 0.02, "fisherDamping": 0.05, "conjugateGradientIterations": 20,
                                 "lineSearchTries": 5, "naturalGradientStepSize": 0.3}}
            """
        let runs = try ExperimentConfiguration.parse(text, file: "t.json", strictJSON: true).runs
        #expect(runs.map(\.training.algorithm) == ["trpo", "npg"])
        let training = runs[0].training
        #expect(
            training.trustRegionDelta == 0.02 && training.fisherDamping == 0.05
                && training.conjugateGradientIterations == 20)
        #expect(training.lineSearchTries == 5 && training.naturalGradientStepSize == 0.3)
    }

    @Test("run ids are stable, readable, and change with any setting that changes results but not with workers")
    func runIdentifiers() throws {
        let a = try ExperimentConfiguration.parse(Self.valid, file: "a.json", strictJSON: true).runs[0]
        let b = try ExperimentConfiguration.parse(Self.valid, file: "b.json", strictJSON: true).runs[0]
        #expect(a.id == b.id)
        #expect(a.id.hasPrefix("Hopper-v4_spo_3-layer_s1_"))
        let otherLR = try ExperimentConfiguration.parse(
            """
            {"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1], \
            "hyperparameters": {"learningRate": 1e-4}}
            """, file: "c.json", strictJSON: true
        ).runs[0]
        #expect(otherLR.id != a.id && otherLR.training.learningRate == 1e-4)
        let otherWorkers = try ExperimentConfiguration.parse(
            """
            {"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1], \
            "hyperparameters": {"workers": 1}}
            """, file: "d.json", strictJSON: true
        ).runs[0]
        #expect(otherWorkers.id == a.id)
    }

    @Test("YAML with comments gives the same runs as the equivalent JSON, nested settings included")
    func yamlEqualsJSON() throws {
        let yaml = """
            # comment
            name: t
            tasks: [Hopper-v4]
            algorithms:
              - spo
              - {name: spo-kl, label: kl01, overrides: {klLimit: 0.01}}
            seeds: [1, 2]
            totalSteps: 1_000_000
            hyperparameters:
              loss: {entropyCoefficient: 0.01}   # nested
              gaeLambda: 1
            """
        let json = """
            {"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo", \
            {"name": "spo-kl", "label": "kl01", "overrides": {"klLimit": 0.01}}],
             "seeds": [1, 2], "totalSteps": 1000000, \
            "hyperparameters": {"loss": {"entropyCoefficient": 0.01}, "gaeLambda": 1}}
            """
        let fromYAML = try ExperimentConfiguration.parse(yaml, file: "t.yaml", strictJSON: false)
        let fromJSON = try ExperimentConfiguration.parse(json, file: "t.json", strictJSON: true)
        #expect(fromYAML.runs == fromJSON.runs)
        #expect(fromYAML.runs.count == 4)
        #expect(
            fromYAML.runs[0].training.loss.entropyCoefficient == 0.01
                && fromYAML.runs[0].training.loss.valueCoefficient == 0.5)
        #expect(fromYAML.runs[0].training.gaeLambda == 1 && fromYAML.runs[2].training.klLimit == 0.01)
    }

    /// Bad configurations and a fragment each of their messages must contain (location included).
    static let badConfigurations: [(String, String, [String])] = [
        ("malformed JSON", #"{"name": "t" "tasks": ["Hopper-v4"]}"#, ["malformed JSON"]),
        (
            "wrong type", #"{"name": "t", "tasks": "Hopper-v4", "algorithms": ["spo"], "seeds": [1]}"#,
            ["1:24: tasks: expected a list, got the string \"Hopper-v4\""]
        ),
        (
            "unknown key",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1], "totalStep": 5}"#,
            ["1:76: totalStep: unknown field 'totalStep'; did you mean 'totalSteps'?"]
        ),
        (
            "unknown hyperparameter",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "hyperparameters": {"learningrate": 1}}"#,
            ["hyperparameters.learningrate: unknown field 'learningrate'; did you mean 'learningRate'?"]
        ),
        (
            "unknown nested hyperparameter",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "hyperparameters": {"loss": {"entropyCoef": 1}}}"#,
            ["hyperparameters.loss.entropyCoef: unknown field 'entropyCoef'; did you mean 'entropyCoefficient'?"]
        ),
        (
            "unknown task", #"{"name": "t", "tasks": ["Hoper-v4"], "algorithms": ["spo"], "seeds": [1]}"#,
            ["tasks[0]: unknown task 'Hoper-v4'; did you mean 'Hopper-v4'?"]
        ),
        (
            "unknown algorithm", #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["ppo2"], "seeds": [1]}"#,
            ["algorithms[0]: unknown algorithm 'ppo2'; did you mean 'ppo'?"]
        ),
        (
            "zero sizes",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1], "totalSteps": 0}"#,
            ["totalSteps: must be at least 1, got 0"]
        ),
        (
            "negative seed", #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [-1]}"#,
            ["seeds[0]: must be at least 0, got -1"]
        ),
        (
            "negative hidden size",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "networks": [{"label": "x", "actorHidden": [64, -2]}]}"#,
            ["networks[0].actorHidden[1]: must be at least 1, got -2"]
        ),
        (
            "zero environments",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "hyperparameters": {"environments": 0}}"#,
            ["hyperparameters.environments: environments must be at least 1, got 0"]
        ),
        (
            "batch not divisible",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "hyperparameters": {"minibatches": 3}}"#,
            ["hyperparameters.minibatches: batch size 2048 (environments × horizon) is not divisible by minibatches 3"]
        ),
        (
            "quoted number",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "hyperparameters": {"gamma": "0.9"}}"#,
            ["hyperparameters.gamma: expected a number, got the string \"0.9\""]
        ),
        (
            "grid field in hyperparameters",
            #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1],"#
                + #" "hyperparameters": {"seed": 3}}"#,
            ["hyperparameters.seed: 'seed' is set by seeds, not here"]
        ),
        (
            "bad override",
            #"{"name": "t", "tasks": ["Hopper-v4"],"#
                + #" "algorithms": [{"name": "spo-kl", "overrides": {"klLimit": -1}}], "seeds": [1]}"#,
            ["algorithms[0].overrides.klLimit: klLimit must be positive, got -1.0"]
        ),
        (
            "missing fields", #"{"name": "t"}"#,
            ["missing required field 'tasks'", "missing required field 'algorithms'", "missing required field 'seeds'"]
        ),
        (
            "duplicate label", #"{"name": "t", "tasks": ["Hopper-v4"], "algorithms": ["spo", "spo"], "seeds": [1]}"#,
            ["label 'spo' is used twice"]
        ),
        (
            "bad name", #"{"name": "../x", "tasks": ["Hopper-v4"], "algorithms": ["spo"], "seeds": [1]}"#,
            ["name: '../x' must be a non-empty directory name"]
        ),
        (
            "empty list", #"{"name": "t", "tasks": [], "algorithms": ["spo"], "seeds": [1]}"#,
            ["tasks: the list is empty"]
        ),
        ("not an object", #"[1, 2]"#, ["expected an object with fields"]),
    ]

    @Test(
        "every bad configuration gives its specific message with line, column and field path",
        arguments: 0..<badConfigurations.count)
    func badConfiguration(index: Int) {
        let (name, text, expected) = Self.badConfigurations[index]
        let problems = Self.problems(text)
        for fragment in expected {
            #expect(
                problems.contains { $0.contains(fragment) },
                "\(name): no problem contains '\(fragment)'; got \(problems)")
        }
    }

    @Test("YAML syntax errors and wrong types carry the line and column")
    func yamlErrors() {
        let syntax = Self.problems("name: t\ntasks: [Hopper-v4\nseeds: [1]\n", json: false)
        #expect(syntax.count == 1 && syntax[0].contains("malformed YAML"), "\(syntax)")
        let typed = Self.problems(
            "name: t\ntasks: [Hopper-v4]\nalgorithms: [spo]\nseeds: [1]\nhyperparameters:\n  epochs: ten\n", json: false
        )
        #expect(typed == ["6:11: hyperparameters.epochs: expected an integer, got 'ten'"])
    }

    @Test("a missing file and a wrong extension are reported with the path")
    func fileErrors() throws {
        #expect(throws: ExperimentError.io(path: "/no/such/config.json", reason: "no such configuration file")) {
            try ExperimentConfiguration.load(path: "/no/such/config.json")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).txt")
        try Self.valid.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: ExperimentError.self) { try ExperimentConfiguration.load(path: url.path) }
    }

    @Test("the schema of training settings lists every field with its kind")
    func schema() {
        let schema = ConfigurationReader.trainingSchema
        #expect(schema["learningRate"] == .number)
        #expect(schema["epochs"] == .integer)
        #expect(schema["decayLearningRate"] == .boolean)
        #expect(schema["actorHidden"] == .list(.integer))
        #expect(schema["trustRegionDelta"] == .number, "optional fields are found too")
        guard case let .object(loss)? = schema["loss"] else {
            Issue.record("loss is not an object")
            return
        }
        #expect(loss["entropyCoefficient"] == .number)
    }
}
