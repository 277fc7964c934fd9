import Synchronization
import Testing

@testable import Environments

@Suite("Worker pool")
struct WorkerPoolTests {
    @Test("every index runs exactly once per loop, for any number of workers", arguments: [1, 2, 3, 8])
    func everyIndexOnce(workers: Int) {
        let pool = WorkerPool(workers: workers)
        let hits = Mutex<[Int]>([])
        for round in 0..<200 {
            let count = 1 + round % 13
            hits.withLock { $0 = Array(repeating: 0, count: count) }
            pool.forEach(count) { i in hits.withLock { $0[i] += 1 } }
            #expect(hits.withLock { $0 } == Array(repeating: 1, count: count))
        }
    }
}
