import Dispatch
import Foundation
import Synchronization

/// A fixed set of workers that run one parallel loop at a time, with low latency between loops.
///
/// W − 1 dedicated POSIX threads (a Dispatch queue cannot promise that W long-running
/// items run at once, and every loop needs every worker) plus the calling thread as worker 0.
/// Between loops the workers poll for the next one for a short while before sleeping on
/// a Dispatch semaphore, so back-to-back loops such as environment steps do not pay a
/// thread wake-up each time, and an idle pool costs no CPU. With more workers than cores
/// nobody polls (polling threads would only take the cores from the working ones).
/// Indices are claimed from a shared counter, so every index runs exactly once per loop.
public final class WorkerPool: @unchecked Sendable {
    /// Number of workers, the calling thread included.
    public let workers: Int
    private let state: State

    /// A pool of `workers` workers (at least 1; 1 runs everything on the calling thread).
    public init(workers: Int) {
        self.workers = max(1, workers)
        let oversubscribed = self.workers > ProcessInfo.processInfo.activeProcessorCount
        state = State(workers: self.workers, pollIterations: oversubscribed ? 0 : 100_000)
        for worker in 1..<self.workers {
            state.exited.enter()
            var thread = pthread_t()
            let context = Unmanaged.passRetained(WorkerContext(state: state, worker: worker)).toOpaque()
            let created = pthread_create(
                &thread, nil,
                { context in
                    let context = Unmanaged<WorkerContext>.fromOpaque(context!).takeRetainedValue()
                    context.state.workerLoop(worker: context.worker)
                    context.state.exited.leave()
                    return nil
                }, context)
            precondition(created == 0, "cannot create a worker thread (error \(created))")
            pthread_detach(thread)
        }
    }

    deinit { state.stop() }

    /// Runs `body(i)` for every i in 0..<count across the workers and returns when all are done.
    /// `body` must only touch state belonging to index i (or synchronise itself).
    /// Not reentrant: call from one thread at a time.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard workers > 1, count > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { state.run(count: count, body: $0) }
    }

    private final class WorkerContext {
        let state: State
        let worker: Int
        init(state: State, worker: Int) {
            self.state = state
            self.worker = worker
        }
    }

    /// A worker's own wake-up: one semaphore per worker, so no worker can take another's signal.
    private final class Sleeper: @unchecked Sendable {
        let asleep = Atomic<Bool>(false)
        let semaphore = DispatchSemaphore(value: 0)
    }

    /// The shared state of the pool's threads (kept apart so that the threads do not keep the pool alive).
    private final class State: @unchecked Sendable {
        let workers: Int
        let pollIterations: Int
        let generation = Atomic<Int>(0)
        let nextIndex = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        let sleepers: [Sleeper]
        let exited = DispatchGroup()
        // The current loop, published to the workers by the release-increment of `generation`.
        var jobCount = 0
        var job: ((Int) -> Void)?

        init(workers: Int, pollIterations: Int) {
            self.workers = workers
            self.pollIterations = pollIterations
            sleepers = (0..<workers).map { _ in Sleeper() }
        }

        private func wakeSleepers() {
            for sleeper in sleepers where sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) {
                sleeper.semaphore.signal()
            }
        }

        func run(count: Int, body: @escaping (Int) -> Void) {
            jobCount = count
            job = body
            nextIndex.store(0, ordering: .relaxed)
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            wakeSleepers()
            claim(body, count: count)
            var polls = 0
            while finished.load(ordering: .acquiring) < workers - 1 {
                polls += 1
                if polls > pollIterations { sched_yield() }
            }
            job = nil
        }

        func stop() {
            stopping.store(true, ordering: .sequentiallyConsistent)
            for sleeper in sleepers { sleeper.semaphore.signal() }
            exited.wait()
        }

        private func claim(_ body: (Int) -> Void, count: Int) {
            while true {
                let i = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= count { return }
                body(i)
            }
        }

        func workerLoop(worker: Int) {
            let sleeper = sleepers[worker]
            var seen = 0
            while true {
                var polls = 0
                while generation.load(ordering: .acquiring) == seen {
                    if stopping.load(ordering: .acquiring) { return }
                    polls += 1
                    if polls > pollIterations {
                        sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
                        if generation.load(ordering: .sequentiallyConsistent) == seen
                            && !stopping.load(ordering: .sequentiallyConsistent)
                        {
                            sleeper.semaphore.wait()
                        }
                        sleeper.asleep.store(false, ordering: .sequentiallyConsistent)
                        polls = 0
                    }
                }
                seen = generation.load(ordering: .acquiring)
                if let job { claim(job, count: jobCount) }
                finished.add(1, ordering: .releasing)
            }
        }
    }
}
