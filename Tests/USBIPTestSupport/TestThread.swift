#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A plain POSIX thread for tests that need a peer running at the same time (a one-shot TCP server for a tool
/// under test), without Foundation. ``join()`` waits for it.
package final class TestThread: @unchecked Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread.
    package init(_ body: @escaping @Sendable () -> Void) throws {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw ToolRunner.Failure(description: "pthread_create: errno \(rc)")
        }
    }

    /// Waits for the thread to finish (once; later calls return at once).
    package func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
