import Foundation
import StewardCore

// MARK: - Drill-down

/// A place in the console that drill-down goes to and Esc comes back to: one account, one
/// post, one author's comments, the lines of one request.
///
/// A location names *what* is shown, not how: the tab that shows it (the one whose
/// ``ConsoleTab/canShow(_:)`` says yes) reads it afresh from the services when it is
/// opened, so coming back to a place shows it as it is now (a comment hidden meanwhile is
/// hidden), and a place is as cheap to keep on the back stack as an id.
public enum ConsoleLocation: Hashable, Sendable {
    /// One account in full (Users).
    case user(Int64)
    /// One account's open sessions, to pick and end one (Users).
    case sessions(userID: Int64)
    /// The posts one account wrote (Posts, filtered).
    case posts(authorID: Int64, name: String)
    /// One post in full, with its comment thread (Posts).
    case post(Int64)
    /// The comments one account wrote, across posts (Comments, filtered).
    case comments(authorID: Int64, name: String)
    /// One comment in full (Comments).
    case comment(Int64)
    /// One post's thread, replies under their parents (Comments).
    case thread(postID: Int64)
    /// The audit trail through the Audit tab's filter words (`user:12`).
    case audit(filter: String)
    /// One security event in full (Audit).
    case securityEvent(Int64)
    /// The log tail through the Logs tab's filter (`request:9f2c…`).
    case logs(filter: String)
}

/// One way out of what a screen shows, as the go-to menu (`>`) offers it: the key that
/// takes it, what it says ("author Ada Lovelace"), and where it leads.
public struct RelatedPlace: Equatable, Sendable {
    public var key: Character
    public var label: String
    public var location: ConsoleLocation

    public init(_ key: Character, _ label: String, _ location: ConsoleLocation) {
        self.key = key
        self.label = label
        self.location = location
    }
}

/// Where the console came from, one entry per drill-down: the tab and what it showed then
/// (nil: its list, as the tab keeps it), and where the drill-down arrived. Esc pops it.
struct BackStep: Equatable {
    var tab: Int
    var location: ConsoleLocation?
    var arrived: ConsoleLocation
}

/// The back stack of drill-down. Bounded: a long walk forgets its oldest steps, never
/// memory.
struct BackStack: Equatable {
    private(set) var steps: [BackStep] = []
    static let capacity = 64

    var isEmpty: Bool { steps.isEmpty }
    var top: BackStep? { steps.last }

    mutating func push(_ step: BackStep) {
        steps.append(step)
        if steps.count > Self.capacity { steps.removeFirst(steps.count - Self.capacity) }
    }

    mutating func pop() -> BackStep? { steps.popLast() }
    mutating func clear() { steps.removeAll() }
}
