#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A fixed-size pool of POSIX threads serving queued jobs: at most `maxThreads` threads (started on demand, then kept)
/// and at most `queueCapacity` waiting jobs; ``submit(_:)`` refuses beyond that, so a flood never creates unbounded
/// threads or memory. No Dispatch: the daemon's threads are exactly these plus the loop's.
final class WorkerPool: @unchecked Sendable {
    typealias Job = () -> Void

    private let maxThreads: Int
    private let queueCapacity: Int
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var queue: [Job] = []
    private var threads: [pthread_t] = []
    private var idle = 0
    private var stopping = false

    /// A pool of at most `maxThreads` threads and `queueCapacity` waiting jobs.
    init(maxThreads: Int, queueCapacity: Int) {
        self.maxThreads = max(1, maxThreads)
        self.queueCapacity = max(0, queueCapacity)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// The number of threads started so far.
    var threadCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return threads.count
    }

    /// Queues `job`; returns `false` (job not run) when the queue is full, the pool is stopping or no thread could
    /// be started.
    func submit(_ job: @escaping Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !stopping, queue.count < queueCapacity + idle else { return false }
        queue.append(job)
        if idle == 0 && threads.count < maxThreads {
            if !startThread() && threads.isEmpty {
                queue.removeLast()
                return false
            }
        }
        pthread_cond_signal(condition)
        return true
    }

    /// Stops taking jobs; with `wait`, lets the threads finish the queued jobs and joins them.
    func shutdown(wait: Bool) {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(condition)
        let started = threads
        threads.removeAll()
        pthread_mutex_unlock(mutex)
        guard wait else {
            for thread in started { pthread_detach(thread) }
            return
        }
        for thread in started { pthread_join(thread, nil) }
    }

    /// Starts one thread (called with the mutex held).
    private func startThread() -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 1 << 20)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let pool = Unmanaged<WorkerPool>.fromOpaque(raw).takeRetainedValue()
            pool.work()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<WorkerPool>.fromOpaque(context).release()
            return false
        }
        threads.append(thread)
        return true
    }

    /// A thread's life: take jobs until stopping and the queue is empty.
    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            if let job = queue.first {
                queue.removeFirst()
                pthread_mutex_unlock(mutex)
                job()
                pthread_mutex_lock(mutex)
                continue
            }
            if stopping { break }
            idle += 1
            pthread_cond_wait(condition, mutex)
            idle -= 1
        }
        pthread_mutex_unlock(mutex)
    }
}
