import Environments
import Foundation
import Learning
import Testing

@testable import Experiments

/// Task options by Gymnasium's keyword names: in experiment files, in a run's settings and
/// id, in the environments they build, and in the agents trained with them.
@Suite("Task options")
struct TaskOptionsTests {
    static func runs(_ yaml: String) throws -> [RunSpecification] {
        try ExperimentConfiguration.parse(yaml, file: "options.yaml", strictJSON: false).runs
    }

    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ExperimentConfiguration.parse(yaml, file: "options.yaml", strictJSON: false)
            return []
        } catch let ExperimentError.invalidConfiguration(_, problems) {
            return problems
        } catch {
            return ["unexpected error \(error)"]
        }
    }

    @Test("options given with a task reach the run's settings and id; values at Gymnasium's defaults change nothing")
    func settingsAndIdentifiers() throws {
        let plain = try Self.runs("{name: t, tasks: [Hopper-v4], algorithms: [spo], seeds: [1]}")[0]
        let defaults = try Self.runs(
            """
            {name: t, tasks: [{name: Hopper-v4, \
            options: {reset_noise_scale: 0.005, terminate_when_unhealthy: true}}], algorithms: [spo], seeds: [1]}
            """)[0]
        #expect(defaults.id == plain.id && defaults.training.taskOptions == nil)
        let changed = try Self.runs(
            """
            name: t
            tasks:
              - name: Hopper-v4
                options: {terminate_when_unhealthy: false, ctrl_cost_weight: 0, healthy_z_range: [0.5, .inf]}
            algorithms: [spo]
            seeds: [1]
            """)[0]
        #expect(changed.id != plain.id)
        #expect(
            changed.training.taskOptions == [
                "terminate_when_unhealthy": .flag(false), "ctrl_cost_weight": .number(0),
                "healthy_z_range": .range(0.5, .infinity),
            ])
    }

    @Test("an algorithm's overrides set task options on every task of the grid")
    func overrides() throws {
        let runs = try Self.runs(
            """
            name: t
            tasks: [Hopper-v4, {name: Walker2d-v4, options: {ctrl_cost_weight: 0.01}}]
            algorithms: [spo, {name: spo, label: spo-free, overrides: {taskOptions: {terminate_when_unhealthy: false}}}]
            seeds: [1]
            """)
        #expect(
            runs.map { $0.training.taskOptions ?? [:] } == [
                [:], ["terminate_when_unhealthy": .flag(false)],
                ["ctrl_cost_weight": .number(0.01)],
                ["ctrl_cost_weight": .number(0.01), "terminate_when_unhealthy": .flag(false)],
            ])
    }

    @Test("misspelt, mistyped, out-of-range and other tasks' options name the line, the option and the valid names")
    func validation() {
        let misspelt = Self.problems(
            """
            name: t
            tasks:
              - name: Hopper-v4
                options: {terminate_when_unhealty: false}
            algorithms: [spo]
            seeds: [1]
            """)
        #expect(misspelt.count == 1, "\(misspelt)")
        #expect(
            misspelt.first?.hasPrefix(
                "4:40: tasks[0].options.terminate_when_unhealty: unknown option 'terminate_when_unhealty'; "
                    + "did you mean 'terminate_when_unhealthy'?"
            ) == true, "\(misspelt)")
        #expect(misspelt.first?.contains("Hopper-v4's options: forward_reward_weight, ctrl_cost_weight") == true)

        let wrong = Self.problems(
            """
            {name: t, tasks: [{name: Hopper-v4, options: {ctrl_cost_weight: zero, reset_noise_scale: -1, \
            healthy_z_range: [2, 1], use_contact_forces: true}}],
             algorithms: [spo], seeds: [1]}
            """)
        #expect(
            wrong.contains {
                $0.contains(
                    "tasks[0].options.ctrl_cost_weight: expected a number, true or false, or [low, high], got 'zero'")
            }, "\(wrong)")
        #expect(
            wrong.contains { $0.contains("tasks[0].options.reset_noise_scale: must be at least 0.0, got -1.0") },
            "\(wrong)")
        #expect(
            wrong.contains { $0.contains("tasks[0].options.healthy_z_range: must be [low, high] with low ≤ high") },
            "\(wrong)")
        #expect(
            wrong.contains { $0.contains("tasks[0].options.use_contact_forces: unknown option 'use_contact_forces'") },
            "\(wrong)")

        let otherTask = Self.problems(
            """
            name: t
            tasks: [Hopper-v4, Walker2d-v4]
            algorithms: [{name: spo, overrides: {taskOptions: {healthy_state_range: [-50, 50]}}}]
            seeds: [1]
            """)
        #expect(otherTask.count == 1, "\(otherTask)")
        #expect(otherTask.first?.contains("Walker2d-v4's options: forward_reward_weight") == true)
        #expect(
            otherTask.first?.contains(
                "3:73: algorithms[0].overrides.taskOptions.healthy_state_range: unknown option 'healthy_state_range'")
                == true, "\(otherTask)")
    }

    @Test(
        "environments follow their options: no termination gives 1000-step episodes, no control cost a zero reward_ctrl"
    )
    func environments() throws {
        let hopper = try EnvironmentRegistry.make("Hopper-v4", options: ["terminate_when_unhealthy": .flag(false)])
        var random = RandomGenerator(seed: 3)
        _ = hopper.reset(seed: 3)
        var length = 0, ended = false
        while !ended {
            let action = (0..<3).map { _ in Float(random.uniform(-1, 1)) }
            let step = try hopper.step(action)
            #expect(!step.terminated)
            length += 1
            ended = step.truncated
        }
        #expect(length == 1000)

        for (weight, expectZero) in [(0.0, true), (0.1, false)] {
            let cheetah = try EnvironmentRegistry.make("HalfCheetah-v4", options: ["ctrl_cost_weight": .number(weight)])
            _ = cheetah.reset(seed: 1)
            let step = try cheetah.step([Float](repeating: 0.5, count: 6))
            #expect((step.info["reward_ctrl"] == 0) == expectZero)
        }
        #expect(throws: EnvironmentError.self) {
            try EnvironmentRegistry.make("Hopper-v4", options: ["use_contact_forces": .flag(true)])
        }
    }

    @Test("an agent trained with options is saved with them and evaluated in the same environment")
    func savedAgents() throws {
        var configuration = TrainingConfiguration()
        configuration.task = "Hopper-v4"
        configuration.taskOptions = ["terminate_when_unhealthy": .flag(false)]
        configuration.environments = 2
        configuration.horizon = 64
        configuration.minibatches = 2
        configuration.epochs = 1
        configuration.totalSteps = 128
        let trainer = try Trainer(configuration: configuration)
        _ = try trainer.step { _ in }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "options-agent-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.savedAgent().write(to: url)
        let saved = try SavedAgent.read(from: url)
        #expect(saved.configuration.taskOptions == ["terminate_when_unhealthy": .flag(false)])
        // Untrained, Hopper falls within a few dozen steps; without termination every episode runs to 1000.
        #expect(try saved.evaluate(episodes: 2, seed: 7).lengths == [1000, 1000])
    }
}
