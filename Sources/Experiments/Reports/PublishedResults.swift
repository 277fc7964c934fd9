/// The SPO papers' published MuJoCo results (10M steps, 5 seeds, Gymnasium MuJoCo v4), as
/// data: the ICML table (`spo` vs `ppo`, 3- and 7-layer actors, average return and ratio
/// deviation) and the arXiv table (`spo-kl` with d_max 0.01, 0.02, 0.03 vs `ppo`, shallow and
/// deep networks, average return). Source: `docs/algorithms.md#published-results`.
///
/// Returns are undiscounted raw episodic returns (mean over seeds of the mean return over the
/// last 10% of training); the ratio deviation is the dimensionless `mean |r − 1|`.
public enum PublishedResults {
    /// One cell of the ICML table: a task, algorithm and actor depth's average return and
    /// ratio deviation.
    public struct ICMLEntry: Equatable, Sendable {
        /// Gymnasium task id, e.g. "Hopper-v4".
        public let task: String
        /// "ppo" or "spo".
        public let algorithm: String
        /// Hidden layers of the actor: 3 (64-64) or 7 (256-256-128-128-64-64).
        public let actorLayers: Int
        /// Average episodic return (raw reward).
        public let averageReturn: Double
        /// Ratio deviation `mean |r − 1|` (dimensionless).
        public let ratioDeviation: Double
    }

    /// One cell of the arXiv table: a task, algorithm (with its KL limit for `spo-kl`) and
    /// network depth's average return.
    public struct ArXivEntry: Equatable, Sendable {
        /// Gymnasium task id, e.g. "Hopper-v4".
        public let task: String
        /// "ppo" or "spo-kl".
        public let algorithm: String
        /// `spo-kl`'s d_max (0.01, 0.02 or 0.03); nil for `ppo`.
        public let klLimit: Double?
        /// 3 for the paper's "shallow" network, 7 for "deep".
        public let actorLayers: Int
        /// Average episodic return (raw reward) over the last 10% of training.
        public let averageReturn: Double
    }

    /// The six tasks both tables cover, in the tables' order.
    public static let tasks = [
        "Ant-v4", "HalfCheetah-v4", "Hopper-v4", "Humanoid-v4", "HumanoidStandup-v4", "Walker2d-v4",
    ]

    /// The ICML table: per task, PPO 3-layer, SPO 3-layer, PPO 7-layer, SPO 7-layer, each
    /// (return, ratio deviation).
    public static let icmlTable: [ICMLEntry] = {
        let rows: [(String, [(Double, Double)])] = [
            ("Ant-v4", [(5323.2, 0.229), (4911.3, 0.101), (1002.8, 548.060), (4672.5, 0.190)]),
            ("HalfCheetah-v4", [(4550.2, 0.225), (3602.4, 0.086), (2242.3, 1675.340), (5307.3, 0.188)]),
            ("Hopper-v4", [(1119.4, 0.164), (1480.3, 0.067), (975.9, 113.178), (1507.6, 0.194)]),
            ("Humanoid-v4", [(795.1, 3689.957), (2870.0, 0.179), (614.1, 2411.845), (4769.9, 0.191)]),
            ("HumanoidStandup-v4", [(143908.8, 2547.499), (152378.7, 0.182), (92849.7, 4018.718), (176928.9, 0.187)]),
            ("Walker2d-v4", [(3352.3, 0.170), (2870.2, 0.070), (1110.9, 998.101), (3008.1, 0.157)]),
        ]
        let columns: [(String, Int)] = [("ppo", 3), ("spo", 3), ("ppo", 7), ("spo", 7)]
        return rows.flatMap { task, cells in
            zip(columns, cells).map { column, cell in
                ICMLEntry(
                    task: task, algorithm: column.0, actorLayers: column.1, averageReturn: cell.0,
                    ratioDeviation: cell.1)
            }
        }
    }()

    /// The arXiv table: per network (shallow = 3 layers, deep = 7) and algorithm, the return on
    /// Ant, HalfCheetah, Hopper, Humanoid, HumanoidStandup and Walker2d.
    public static let arxivTable: [ArXivEntry] = {
        let rows: [(Int, String, Double?, [Double])] = [
            (3, "spo-kl", 0.01, [5066.1, 2328.6, 1377.1, 3772.8, 158407.4, 3508.6]),
            (3, "spo-kl", 0.02, [4875.4, 2459.9, 1402.6, 3228.6, 163008.1, 3520.9]),
            (3, "spo-kl", 0.03, [4628.0, 2619.4, 1632.6, 3168.3, 159841.8, 3286.5]),
            (3, "ppo", nil, [5216.4, 1607.5, 1471.8, 822.6, 150445.3, 3217.5]),
            (7, "spo-kl", 0.01, [3376.3, 2336.2, 1532.3, 3499.8, 151760.9, 3016.9]),
            (7, "spo-kl", 0.02, [2679.8, 3276.0, 1390.8, 3231.8, 152980.9, 3800.0]),
            (7, "spo-kl", 0.03, [1504.2, 2855.7, 1379.8, 3285.8, 147222.7, 3260.6]),
            (7, "ppo", nil, [527.4, 2781.0, 1182.6, 576.7, 136717.4, 2512.4]),
        ]
        return rows.flatMap { layers, algorithm, limit, returns in
            zip(tasks, returns).map { task, value in
                ArXivEntry(task: task, algorithm: algorithm, klLimit: limit, actorLayers: layers, averageReturn: value)
            }
        }
    }()

    /// The ICML table's entry for `task` ("Hopper-v4"), `algorithm` ("spo" or "ppo") and
    /// `actorLayers` (3 or 7); nil when the table has no such cell.
    public static func icml(task: String, algorithm: String, actorLayers: Int) -> ICMLEntry? {
        icmlTable.first { $0.task == task && $0.algorithm == algorithm && $0.actorLayers == actorLayers }
    }

    /// The arXiv table's entry for `task`, `algorithm` ("spo-kl" or "ppo"), `klLimit` (d_max
    /// for `spo-kl`, nil for `ppo`) and `actorLayers` (3 = shallow, 7 = deep); nil when the
    /// table has no such cell. KL limits match to within 1e-9.
    public static func arxiv(task: String, algorithm: String, klLimit: Double?, actorLayers: Int) -> ArXivEntry? {
        arxivTable.first { entry in
            guard entry.task == task, entry.algorithm == algorithm, entry.actorLayers == actorLayers else {
                return false
            }
            switch (entry.klLimit, klLimit) {
            case (nil, nil): return true
            case let (a?, b?): return abs(a - b) < 1e-9
            default: return false
            }
        }
    }

    /// The best average return either paper reports for `task` (the default `high` of the
    /// score normalisation); nil for a task the papers do not cover.
    public static func bestReturn(task: String) -> Double? {
        let returns =
            icmlTable.filter { $0.task == task }.map(\.averageReturn)
            + arxivTable.filter { $0.task == task }.map(\.averageReturn)
        return returns.max()
    }
}
