/// Decides whether the peer of a freshly accepted connection may use the daemon, before anything is read or
/// logged (the C daemons' TCP-wrappers check right after `accept()`).
///
/// The daemon loop calls it on its own thread for every accepted socket and closes the socket when it says no.
package protocol AccessPolicy: Sendable {
    /// Whether the peer connected on socket `fd` may be served.
    func permits(socket fd: Int32) -> Bool
}

/// Lets every peer in: the behaviour of a daemon built without libwrap.
package struct AllowAllPolicy: AccessPolicy {
    /// A policy that permits everyone.
    package init() {}

    /// Always `true`.
    package func permits(socket fd: Int32) -> Bool { true }
}
