import Foundation

/// Writes a line to standard error (progress and diagnostics, kept off standard output).
func printError(_ line: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((line + terminator).utf8))
}
