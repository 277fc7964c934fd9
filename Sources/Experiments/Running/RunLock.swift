import Foundation

/// An exclusive claim on one run, so that concurrent `spo run` processes (shards, `--jobs`
/// workers, restarted or requeued cluster jobs) never run it twice.
///
/// It is an advisory `flock` on `<run>/.lock`, held for as long as the process runs the run
/// and released by the kernel when the process exits, however it exits (`kill -9` and node
/// failures included), so there are no stale locks to clean up. On Linux NFS clients `flock`
/// is carried out with POSIX byte-range locks, which work across machines (NFSv4, or NFSv3
/// with lockd); Lustre needs the `flock` mount option. The file holds the holder's host and
/// pid, for `spo status`.
public final class RunLock {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Claims the run in `directory` (created if needed); nil when another process holds it.
    public static func acquire(_ directory: URL) throws -> RunLock? {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw ExperimentError.io(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        let holder = "\(ProcessInfo.processInfo.hostName) \(getpid())\n"
        ftruncate(descriptor, 0)
        _ = holder.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return RunLock(descriptor: descriptor)
    }

    /// The holder ("host pid") when another process holds the run's lock, else nil.
    public static func holder(_ directory: URL) -> String? {
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0 else {
            flock(descriptor, LOCK_UN)
            return nil
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text?.isEmpty == false ? text : "another process"
    }

    deinit { close(descriptor) }
}
