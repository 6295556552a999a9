import Foundation

/// The themes the console can use: the built-in ones, compiled into the binary, and the
/// `NAME.theme` files of one folder (`STEWARD_THEME_DIR`), which add themes and override a
/// built-in theme of the same name.
///
/// `--theme`, `STEWARD_THEME` and the console's `:theme NAME` all look themes up here, so
/// they agree on what exists, and the error for a name that does not exist lists what does.
/// Built-ins are compiled in so that a copied or installed binary has its themes without any
/// folder beside it; the files live in `Sources/StewardConsole/Resources/themes/` and are
/// linked from `themes/`.
public struct ThemeCatalog: Sendable {
    /// The built-in theme files, by name.
    public static let builtInFiles: [String: [UInt8]] = [
        "default": PackageResources.default_theme,
        "light": PackageResources.light_theme,
        "high-contrast": PackageResources.high_contrast_theme,
        "monochrome": PackageResources.monochrome_theme,
    ]

    /// The folder whose `NAME.theme` files add and override themes; `nil`, or a folder that
    /// does not exist, leaves the built-ins alone.
    public let directory: String?

    public init(directory: String?) {
        self.directory = directory
    }

    /// Every theme name there is, sorted: the built-in ones and the folder's theme files.
    public var names: [String] {
        Set(Self.builtInFiles.keys).union(folderNames).sorted()
    }

    /// The names of the folder's `*.theme` files that are usable theme names.
    private var folderNames: [String] {
        guard let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(".theme".count)) }.filter(Self.isThemeName)
    }

    /// The theme called `name`: the folder's `name.theme` when there is one, else the
    /// built-in theme.
    ///
    /// The name comes from configuration (`STEWARD_THEME`, `--theme`, `:theme`), so it must
    /// be a plain file name (letters, digits, `-` and `_`), nothing that could reach outside
    /// the folder. A file that exists but does not parse is an error naming the file and
    /// line; it does not fall back to the built-in, which would hide the mistake.
    public func theme(named name: String) throws -> Theme {
        guard Self.isThemeName(name) else {
            throw ThemeError(fileName: name, line: nil, message: "a theme name is made of letters, digits, '-' and '_'; the themes are \(names.joined(separator: ", "))")
        }
        if let directory {
            let path = (directory as NSString).appendingPathComponent(name + ".theme")
            if FileManager.default.fileExists(atPath: path) { return try Theme.load(path: path) }
        }
        guard let bytes = Self.builtInFiles[name] else {
            let whereToAdd = directory.map { " (add \(name).theme to \($0) to make it)" } ?? ""
            throw ThemeError(fileName: name, line: nil, message: "no such theme; the themes are \(names.joined(separator: ", "))\(whereToAdd)")
        }
        return try Theme.parse(text: String(decoding: bytes, as: UTF8.self), fileName: name + ".theme")
    }

    static func isThemeName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
        }
    }
}
