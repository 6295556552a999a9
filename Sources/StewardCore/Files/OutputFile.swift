import Foundation

/// Where backups and exports go, and how they get there: the one place that creates
/// files on an operator's behalf.
///
/// - `--out DIR/` (a trailing slash, or an existing folder) means a new file in that
///   folder named `PREFIX-YYYYMMDD-HHMMSS.EXT`; a folder that does not exist is created
///   with mode 0700.
/// - An existing file is never replaced unless `force` is set.
/// - The content is written to a temporary file beside the target, created with mode 0600
///   and `O_EXCL | O_NOFOLLOW` (a symlink planted at that name is refused, not followed),
///   and only a complete file is published under the target's name: with `link(2)`, which
///   fails if the name exists, or with `rename(2)` when replacing is asked for (a symlink
///   at the target is then replaced, never written through). On any failure the temporary
///   file is removed: nothing is left behind.
struct OutputFile {
    /// The path the file will have once published.
    let target: String
    /// The temporary file being written.
    let temporary: String
    let force: Bool

    /// Resolves `out` and creates the temporary file.
    ///
    /// - Parameters:
    ///   - prefix: the start of a generated file name, like `steward` or `steward-users`.
    ///   - ext: the generated name's extension, like `sqlite` or `csv`.
    init(out rawOut: String, prefix: String, ext: String, force: Bool, now: Date) throws {
        let out = rawOut.trimmingCharacters(in: .whitespaces)
        guard !out.isEmpty else { throw StewardError.badInput(field: "out", "names no file or folder") }
        var isFolder: ObjCBool = false
        let target: String
        if out.hasSuffix("/") || (FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) && isFolder.boolValue) {
            try OutputFile.makeFolder(out)
            target = (out as NSString).appendingPathComponent("\(prefix)-\(OutputFile.stamp(now)).\(ext)")
        } else {
            target = out
            let folder = (out as NSString).deletingLastPathComponent
            if !folder.isEmpty { try OutputFile.makeFolder(folder) }
        }
        if !force, OutputFile.exists(target) {
            throw StewardError.conflict("\(target) already exists; a backup or export never replaces a file unless --force is given.")
        }
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(Crypto.randomToken(byteCount: 6)).partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StewardError(.badInput, "cannot create a file in \(folder.isEmpty ? "the working folder" : folder): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        self.target = target
        self.temporary = temporary
        self.force = force
    }

    /// Publishes the finished temporary file under the target name.
    func publish() throws {
        if force {
            guard rename(temporary, target) == 0 else { throw failure("cannot write \(target)") }
        } else {
            guard link(temporary, target) == 0 else {
                let error = failure(errno == EEXIST ? "\(target) appeared while writing; it was left as it is" : "cannot write \(target)")
                discard()
                throw error
            }
            unlink(temporary)
        }
        for suffix in ["-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
    }

    /// Removes the temporary file (and what SQLite may have left beside it).
    func discard() {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
    }

    private func failure(_ message: String) -> StewardError {
        StewardError(.badInput, "\(message): \(String(cString: strerror(errno)))")
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func makeFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StewardError(.badInput, "cannot create the folder \(path)")
        }
    }

    /// `YYYYMMDD-HHMMSS` in UTC.
    static func stamp(_ date: Date) -> String {
        let digits = Timestamp.string(date).prefix(19).filter(\.isNumber)
        return String(digits.prefix(8)) + "-" + String(digits.dropFirst(8))
    }
}
