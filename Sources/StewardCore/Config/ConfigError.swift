/// Why the configuration could not be loaded, in words an operator can act on.
///
/// `variable` names what is wrong: an environment variable such as `STEWARD_PORT`, or a file
/// such as `.env` or the generated secret `data/steward.sqlite.secret`. `message` says what
/// was found and what is accepted, so that the printed form reads
///
///     STEWARD_PORT: "80x" is not a port; expected a whole number from 1 to 65535
///
/// No message ever repeats the value of `STEWARD_JWT_SECRET` or the bytes of a secret file:
/// errors are printed to terminals and logs, where a secret must not appear.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable or file the error is about.
    public var variable: String
    /// What is wrong with it and what form is accepted.
    public var message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}

extension ConfigError {
    /// Shows a value the user gave inside an error message: in double quotes, with quotes,
    /// backslashes and control characters escaped so that a stray escape sequence in a
    /// variable cannot repaint the terminal the message lands on, and cut short when long.
    static func quoted(_ value: String) -> String {
        let longestShown = 80
        var shown = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == longestShown {
                shown += "…"
                break
            }
            switch scalar {
            case "\"": shown += "\\\""
            case "\\": shown += "\\\\"
            case "\n": shown += "\\n"
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                    shown += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return "\"" + shown + "\""
    }
}
