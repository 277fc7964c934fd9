import Foundation

/// Writes files so that a crash never leaves a half-written file behind: the bytes go to a
/// temporary file in the same directory, are flushed to disk, and the temporary file is then
/// renamed over the destination (an atomic replacement on POSIX filesystems).
public enum AtomicFile {
    /// Replaces `url` with `data` atomically, creating the parent directory if needed.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError.io(path: directory.path, reason: "cannot create the directory")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw ExperimentError.io(path: temporary.path, reason: String(cString: strerror(errno)))
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 { failure = errno; return }
                offset += written
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == 0, rename(temporary.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary.path)
            throw ExperimentError.io(path: url.path, reason: String(cString: strerror(failure)))
        }
    }

    /// Replaces `url` with the UTF-8 bytes of `text` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
