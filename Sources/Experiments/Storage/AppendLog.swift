import Foundation

/// An append-only output file of a run (CSV or TensorBoard events). Its size is recorded in
/// every checkpoint; a resumed run cuts it back to that size, so rows written after the last
/// checkpoint are written again, identically, instead of twice.
public final class AppendLog {
    public let url: URL
    private let descriptor: Int32
    /// Bytes in the file.
    public private(set) var size: Int

    /// Opens `url` for appending, cut to `size` bytes (nil: created empty).
    public init(_ url: URL, truncatingTo size: Int?) throws {
        self.url = url
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else {
            throw ExperimentError.io(path: url.path, reason: String(cString: strerror(errno)))
        }
        let target = size ?? 0
        var status = stat()
        fstat(descriptor, &status)
        guard Int(status.st_size) >= target else {
            close(descriptor)
            throw ExperimentError.io(
                path: url.path, reason: "has \(status.st_size) bytes, fewer than the \(target) the checkpoint recorded")
        }
        guard ftruncate(descriptor, off_t(target)) == 0 else {
            close(descriptor)
            throw ExperimentError.io(path: url.path, reason: String(cString: strerror(errno)))
        }
        self.size = target
    }

    public func append(_ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard written >= 0 else {
                    throw ExperimentError.io(path: url.path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        size += data.count
    }

    public func append(line: String) throws { try append(Data((line + "\n").utf8)) }

    /// Flushes the file to disk (before a checkpoint that records its size).
    public func synchronize() { fsync(descriptor) }

    deinit { close(descriptor) }
}
