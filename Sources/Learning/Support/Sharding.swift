import Environments

/// Runs `body` on the rows `0..<n` split into `shards` contiguous ranges (the fixed
/// ``ActorCritic/shards`` when a pool is given, one range otherwise), in parallel on `pool`,
/// and returns the results in range order: sums over them in that order do not depend on the
/// number of workers.
func shardedRows<T>(_ n: Int, pool: WorkerPool?, _ body: (Range<Int>) -> T) -> [T] {
    let count = pool == nil ? 1 : Swift.min(ActorCritic<Float>.shards, n)
    return parallelMap(count, pool: pool) { shard in body((shard * n / count)..<((shard + 1) * n / count)) }
}

/// `body(0..<count)` on `pool` (in order on the calling thread without one), results in index order.
func parallelMap<T>(_ count: Int, pool: WorkerPool?, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        let parts = buffer  // each index writes only its own element
        func run(_ i: Int) { parts[i] = body(i) }
        if let pool { pool.forEach(count, run) } else { for i in 0..<count { run(i) } }
    }
    return results.map { $0! }
}
