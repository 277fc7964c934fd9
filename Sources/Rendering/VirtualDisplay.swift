import Foundation

/// A private virtual X server (`Xvfb`) on a free display number, for rendering on machines
/// without a screen, shared by everything in this process that renders: the first
/// ``acquire(note:)`` without `DISPLAY` starts it and points `DISPLAY` at it, the last
/// ``Lease/release()`` stops it and restores `DISPLAY`.
public final class VirtualDisplay {
    /// The display name, e.g. `:1`.
    public let name: String
    private let pid: pid_t
    private let previousDisplay: String?

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: VirtualDisplay?
    nonisolated(unsafe) private static var leases = 0

    /// Whether an `Xvfb` executable is on PATH.
    public static var isAvailable: Bool { executableOnPath("Xvfb") != nil }

    /// Whether `DISPLAY` names a display this process may try to open.
    public static var hasDisplay: Bool {
        guard let display = ProcessInfo.processInfo.environment["DISPLAY"] else { return false }
        return !display.isEmpty
    }

    /// A hold on the process's private display; release it when its windows are gone.
    public final class Lease {
        private var held = true
        fileprivate init() {}

        /// Gives the display up; the last release stops the server. Idempotent.
        public func release() {
            guard held else { return }
            held = false
            VirtualDisplay.lock.withLock {
                VirtualDisplay.leases -= 1
                if VirtualDisplay.leases == 0 {
                    VirtualDisplay.shared?.stop()
                    VirtualDisplay.shared = nil
                }
            }
        }

        deinit { release() }
    }

    /// A display for rendering: nil when `DISPLAY` names one that is not this process's private
    /// server (use it), otherwise a lease on the private Xvfb, started now if it is not running
    /// (reported through `note`). Throws ``RenderingError/noDisplay(reason:)`` naming the fix
    /// when there is neither a display nor Xvfb, ``RenderingError/virtualDisplayFailed(reason:)``
    /// when Xvfb does not start.
    public static func acquire(note: (String) -> Void = { _ in }) throws -> Lease? {
        try lock.withLock {
            if shared == nil {
                guard !hasDisplay else { return nil }
                guard let executable = executableOnPath("Xvfb") else {
                    throw RenderingError.noDisplay(reason: "DISPLAY is not set and Xvfb is not installed")
                }
                shared = try VirtualDisplay(executable: executable)
                note("no DISPLAY: rendering on a private Xvfb at \(shared!.name)")
            }
            leases += 1
            return Lease()
        }
    }

    /// Starts `Xvfb -displayfd` (the server picks a free display number and reports it once it
    /// accepts clients) with a 24-bit 1920×1080 screen and GLX, not resetting when its last client
    /// disconnects (a reset refuses connections for a moment), and sets `DISPLAY` to it.
    /// Throws ``RenderingError/virtualDisplayFailed(reason:)`` when Xvfb is missing or exits.
    private init(executable: String) throws {
        var ready: [Int32] = [0, 0]
        guard pipe(&ready) == 0 else {
            throw RenderingError.virtualDisplayFailed(reason: "pipe: \(String(cString: strerror(errno)))")
        }
        defer { close(ready[0]) }
        // posix_spawn rather than Foundation's Process: the server must start with no blocked
        // signals (threads of this process block SIGTERM, which the child would inherit).
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ready[1], 3)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments = [
            executable, "-displayfd", "3", "-screen", "0", "1920x1080x24", "-nolisten", "tcp", "-noreset", "+extension",
            "GLX",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
        close(ready[1])
        guard status == 0 else {
            throw RenderingError.virtualDisplayFailed(reason: "\(executable): \(String(cString: strerror(status)))")
        }
        // The server writes the display number and a newline to descriptor 3 when it is ready;
        // end of file means it exited.
        var reported: [UInt8] = []
        var byte: UInt8 = 0
        while read(ready[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { reported.append(byte) }
        let number = String(decoding: reported, as: UTF8.self)
        guard !number.isEmpty, Int(number) != nil else {
            kill(child, SIGKILL)
            var exitStatus: Int32 = 0
            waitpid(child, &exitStatus, 0)
            throw RenderingError.virtualDisplayFailed(
                reason:
                    "Xvfb exited without reporting a display (status \(exitStatus)); run `Xvfb -displayfd 1` to see why"
            )
        }
        self.pid = child
        name = ":" + number
        previousDisplay = ProcessInfo.processInfo.environment["DISPLAY"]
        setenv("DISPLAY", name, 1)
    }

    /// Stops the server (SIGTERM, then waits) and restores `DISPLAY`.
    private func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        if let previousDisplay { setenv("DISPLAY", previousDisplay, 1) } else { unsetenv("DISPLAY") }
    }
}
