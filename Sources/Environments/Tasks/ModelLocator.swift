import Foundation

/// Finds the MJCF files of the `models/` folder at run time.
///
/// Looks in `$SPO_MODELS_DIR`, then in a `models/` folder beside the running executable
/// or any folder above it (a checkout's `.build/release/spo` finds the checkout's
/// `models/`), then in `./models`.
public enum ModelLocator {
    /// The folders searched, in order.
    public static func searchFolders() -> [String] {
        var folders: [String] = []
        if let override = ProcessInfo.processInfo.environment["SPO_MODELS_DIR"], !override.isEmpty {
            folders.append(override)
        }
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            folders.append(directory.appendingPathComponent("models").path)
            directory.deleteLastPathComponent()
        }
        folders.append(FileManager.default.currentDirectoryPath + "/models")
        return folders
    }

    /// The path of `file` (e.g. `hopper.xml`) in the first folder that has it.
    public static func path(of file: String) throws -> String {
        let folders = searchFolders()
        for folder in folders {
            let candidate = folder + "/" + file
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw EnvironmentError.modelNotFound(file: file, searched: folders)
    }
}
