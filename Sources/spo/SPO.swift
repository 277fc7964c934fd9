import ArgumentParser

/// The `spo` command line: continuous-control RL experiments on MuJoCo.
@main
struct SPO: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spo",
        abstract: "Simple Policy Optimization and PPO on native Gymnasium-v4 MuJoCo tasks.",
        subcommands: [
            Train.self, Eval.self, Render.self, Run.self, Status.self, Estimate.self, Sweep.self, Table.self, Plot.self,
            Archive.self,
            Overoptimize.self, Bench.self, Conformance.self,
        ]
    )
}
