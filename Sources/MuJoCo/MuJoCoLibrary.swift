import CMuJoCo

/// The MuJoCo shared library this process runs: its version and its file, so that a measurement
/// can say which build it measured (Debian's `libmujoco2.2.2`, or the rebuild that
/// `scripts/setup --fast-mujoco` makes; see docs/performance.md).
public struct MuJoCoLibrary: Sendable, Equatable, CustomStringConvertible {
    /// `mj_versionString()`, e.g. "2.2.2".
    public var version: String
    /// `mj_version()`, e.g. 222.
    public var versionNumber: Int
    /// The loaded library's file with symbolic links resolved (found with `dladdr` on `mj_step`),
    /// or nil when it cannot be told.
    public var path: String?

    public init(version: String, versionNumber: Int, path: String?) {
        self.version = version
        self.versionNumber = versionNumber
        self.path = path
    }

    /// The library loaded in this process.
    public static let loaded: MuJoCoLibrary = {
        let version = mj_versionString().map { String(cString: $0) } ?? ""
        let length = Int(spo_mujoco_library_path(nil, 0))
        var path: String?
        if length >= 0 {
            var buffer = [CChar](repeating: 0, count: length + 1)
            _ = spo_mujoco_library_path(&buffer, Int32(buffer.count))
            path = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return MuJoCoLibrary(version: version, versionNumber: Int(mj_version()), path: path)
    }()

    /// One line, e.g. `MuJoCo 2.2.2 (/usr/lib/x86_64-linux-gnu/libmujoco.so.2.2.2)`.
    public var description: String { "MuJoCo \(version) (\(path ?? "library file unknown"))" }
}
