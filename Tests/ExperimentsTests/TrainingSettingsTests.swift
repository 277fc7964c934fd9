import Experiments
import Foundation
import Learning
import Testing

/// The training settings have one source, ``TrainingConfiguration``: its fields are `spo train`'s
/// flags and `spo run --set`'s paths, its doc comments their help, and both commands train
/// through one run loop.
@Suite("Training settings")
struct TrainingSettingsTests {
    @Test("every field of TrainingConfiguration is a setting, with the help of its doc comment")
    func everyFieldIsASetting() throws {
        guard case let .object(fields) = FieldKind.of(TrainingConfiguration.self),
            case let .object(lossFields)? = fields["loss"]
        else {
            Issue.record("TrainingConfiguration has no loss object")
            return
        }
        let expected =
            Set(fields.keys).subtracting(["loss", "taskOptions"])
            .union(lossFields.keys.map { "loss.\($0)" })
        #expect(Set(TrainingSettings.all.map(\.path)) == expected)
        #expect(TrainingSettings.all.allSatisfy { !$0.help.isEmpty })
        #expect(TrainingSettings.setting(named: "learning-rate")?.path == "learningRate")
        #expect(TrainingSettings.setting(named: "entropy-coefficient")?.path == "loss.entropyCoefficient")
        #expect(TrainingSettings.setting(named: "desired-kl")?.defaultValue == nil)
        #expect(TrainingSettings.setting(named: "gaeLambda")?.defaultValue == "0.95")

        // The help is generated from the doc comments; a stale copy fails here.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent("scripts/generate-setting-help")
        process.arguments = ["--check"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "run scripts/generate-setting-help")
    }

    @Test("assignments are read as experiment files are, and each problem names the flag and value")
    func assignments() throws {
        let configuration = try TrainingSettings.applying(
            [
                .init(name: "learning-rate", value: "1e-4"), .init(name: "loss.entropyCoefficient", value: "0.01"),
                .init(name: "decayLearningRate", value: "false"), .init(name: "actorHidden", value: "128,128"),
                .init(name: "seed", value: "7"),
            ], to: TrainingConfiguration())
        var expected = TrainingConfiguration()
        expected.learningRate = 1e-4
        expected.loss.entropyCoefficient = 0.01
        expected.decayLearningRate = false
        expected.actorHidden = [128, 128]
        expected.seed = 7
        #expect(configuration == expected)

        #expect(
            throws: SettingsError(problems: [
                "--lr: expected a number, got 'fast'",
                "--lerning-rate: unknown setting; did you mean 'learning-rate'?",
            ])
        ) {
            try TrainingSettings.applying(
                [
                    .init(name: "learningRate", value: "fast", label: "--lr"),
                    .init(name: "lerning-rate", value: "1", label: "--lerning-rate"),
                ],
                to: TrainingConfiguration())
        }
        #expect(throws: SettingsError(problems: ["--seed: -1 is out of range for seed"])) {
            try TrainingSettings.applying(
                [.init(name: "seed", value: "-1", label: "--seed")], to: TrainingConfiguration())
        }
        // The whole is checked as a file's runs are.
        #expect(throws: SettingsError(problems: ["learningRate must be positive, got -1.0"])) {
            try TrainingSettings.applying([.init(name: "learningRate", value: "-1")], to: TrainingConfiguration())
        }
    }

    static let experiment = """
        name: set-test
        tasks: [Hopper-v4]
        algorithms: [ppo]
        seeds: [1]
        totalSteps: 4096
        hyperparameters: {horizon: 128, learningRate: 0.001}
        """

    @Test("spo run --set overrides a setting for every run, checked as the file is")
    func experimentOverrides() throws {
        func parse(_ overrides: [String]) throws -> ExperimentConfiguration {
            try ExperimentConfiguration.parse(
                Self.experiment, file: "set-test.yaml", strictJSON: false,
                overrides: overrides.map { try #require(ExperimentOverride($0)) })
        }
        let plain = try parse([])
        let changed = try parse([
            "learning-rate=2e-4", "loss.entropyCoefficient=0.01", "seeds=[1, 2]", "totalSteps=8192",
            "evaluation.episodes=3",
        ])
        #expect(changed.runs.count == 2)
        let run = try #require(changed.runs.first)
        #expect(run.training.learningRate == 2e-4)
        #expect(run.training.loss.entropyCoefficient == 0.01)
        #expect(run.training.horizon == 128)
        #expect(run.training.totalSteps == 8192)
        #expect(run.evaluation.episodes == 3)
        #expect(run.id != plain.runs[0].id)
        // Setting a value to what the file says changes nothing, not even the id.
        #expect(try parse(["learningRate=0.001"]).runs == plain.runs)

        #expect(ExperimentOverride("learningRate") == nil)
        #expect(
            throws: ExperimentError.invalidConfiguration(
                path: "set-test.yaml",
                problems: [
                    " hyperparameters.learningRate: expected a number, got 'fast' (from --set learningRate=fast)"
                ])
        ) { try parse(["learningRate=fast"]) }
        #expect {
            try parse(["hyperparameters.lerningRate=1"])
        } throws: { error in
            "\(error)".contains("unknown field 'lerningRate'; did you mean 'learningRate'?")
                && "\(error)".contains("(from --set hyperparameters.lerningRate=1)")
        }
        #expect {
            try parse(["seed=3"])
        } throws: { error in "\(error)".contains("'seed' is set by seeds, not here (from --set seed=3)") }
    }

    @Test("spo train's flags, old and new names, and spo run train one run the same way")
    func trainAndRunShareOneLoop() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("set-test.yaml")
        try Self.experiment.write(to: config, atomically: true, encoding: .utf8)

        let oldNames = directory.appendingPathComponent("old")
        let newNames = directory.appendingPathComponent("new")
        let trainedOld = try SPOProcess.run(
            [
                "train", "--env", "Hopper-v4", "--algo", "ppo", "--steps", "4096", "--horizon", "128", "--lr", "0.001",
                "--out", oldNames.path,
            ], in: directory)
        #expect(trainedOld.status == 0, "\(trainedOld.log)")
        let trainedNew = try SPOProcess.run(
            [
                "train", "--task=Hopper-v4", "--algorithm", "ppo", "--total-steps", "4096", "--horizon", "128",
                "--learningRate", "0.001", "--decay-learning-rate", "true", "--out", newNames.path,
            ], in: directory)
        #expect(trainedNew.status == 0, "\(trainedNew.log)")
        let ran = try SPOProcess.run(
            ["run", config.path, "--results", directory.appendingPathComponent("results").path], in: directory)
        #expect(ran.status == 0, "\(ran.log)")

        let experimentRun = try #require(
            try ExperimentConfiguration.load(path: config.path).runs.first)
        let fromRun = directory.appendingPathComponent("results/set-test/\(experimentRun.id)")
        func contents(_ directory: URL, _ name: String) throws -> String {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return name == "updates.csv" ? MachineIndependenceTests.deterministicColumns(text) : text
        }
        for name in ["updates.csv", "episodes.csv", "agent.json"] {
            #expect(try contents(oldNames, name) == contents(newNames, name), "\(name)")
            #expect(try contents(oldNames, name) == contents(fromRun, name), "\(name)")
        }
        let trainedRun = try JSONDecoder.nonFinite.decode(
            RunSpecification.self, from: Data(contentsOf: oldNames.appendingPathComponent("run.json")))
        #expect(trainedRun.id == experimentRun.id)

        let wrong = try SPOProcess.run(["train", "--learning-rate", "fast", "--lerning-rate", "1"], in: directory)
        #expect(wrong.status == 64)
        #expect(wrong.log.contains("--learning-rate: expected a number, got 'fast'"), "\(wrong.log)")
        #expect(wrong.log.contains("did you mean 'learning-rate'?"), "\(wrong.log)")
    }
}
