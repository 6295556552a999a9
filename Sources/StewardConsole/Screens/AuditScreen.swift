import Foundation
import StewardCore

/// Tab 6 (for accounts with `logs:read`): the security events, newest first, paged by id
/// like every browse table, so the first page of a trail of millions is one index walk.
/// `/` takes filter words (see ``AuditFilter``); Enter shows one event with all its
/// details. The tab only reads: the service checks `logs:read` on every page anyway.
public final class AuditScreen: ConsoleScreen {
    enum Message: ScreenMessage {
        case table(BrowseTable<AuditListing>.Message)
        /// An event named by drill-down or by the way back, read to be shown in full.
        case opened(SecurityEvent)
        case failed(StewardError)
    }

    let environment: ConsoleEnvironment
    private(set) var browse: BrowseTable<AuditListing>

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        browse = BrowseTable(AuditListing(services: environment.services, caller: environment.caller))
    }

    public var title: String { "Audit" }
    public var capturesInput: Bool { browse.capturesInput }
    var rememberedFilter: TabFilterState? { browse.rememberedFilter }
    func restore(_ filter: TabFilterState) -> ScreenEffect<Message> { browse.restore(filter).map(Message.table) }
    public var selectedEvent: SecurityEvent? { browse.selectedItem }
    public var isShowingDetail: Bool { browse.isShowingDetail }

    public var keyHints: KeyHintList {
        var hints = browse.keyHints
        // One hint per filter word: the help's key column is narrow, and each word is
        // something to look up on its own.
        let words = [
            ("event:NAME", "one kind of event (FAILED_LOGIN…)"),
            ("user:ID|EMAIL", "events about that account"),
            ("actor:ID|EMAIL", "events done by that account"),
            ("client:NAME", "events from http, console or cli"),
            ("since:DATE", "at or after, in UTC"),
            ("until:DATE", "before; a bare date includes that day"),
        ]
        hints += words.map { KeyHint(key: $0.0, action: $0.1, section: "Filter words for /") }
        hints.append(KeyHint(key: ":filter WORDS", action: "filter, as / does", section: "Commands"))
        hints.append(KeyHint(key: ":open", action: "open the selected event", section: "Commands"))
        return KeyHintList(hints)
    }

    func update(_ event: ScreenEvent) -> ScreenEffect<Message> {
        switch event {
        case .layout(let area):
            return browse.layout(area).map(Message.table)
        case .activated:
            return browse.refresh().map(Message.table)
        case .tick:
            return .none
        case .command(let input):
            return browse.command(input)?.map(Message.table) ?? .unhandled
        case .show(let location):
            return show(location)
        case .input(let input):
            return browse.handle(input)?.map(Message.table) ?? .none
        }
    }

    // MARK: Drill-down

    public func canShow(_ location: ConsoleLocation) -> Bool {
        switch location {
        case .audit, .securityEvent: true
        default: false
        }
    }

    public var location: ConsoleLocation? {
        if let id = browse.detail?.key { return .securityEvent(id) }
        return browse.filter.text.map { .audit(filter: $0) }
    }

    public var relatedPlaces: [RelatedPlace] {
        guard environment.can(.usersRead), let id = browse.actionKey, let event = browse.item(id) else { return [] }
        var places: [RelatedPlace] = []
        if let subject = event.userID { places.append(RelatedPlace("s", "the subject, user \(subject)", .user(subject))) }
        if let actor = event.actorID { places.append(RelatedPlace("a", "the actor, user \(actor)", .user(actor))) }
        return places
    }

    private func show(_ location: ConsoleLocation?) -> ScreenEffect<Message> {
        switch location {
        case .securityEvent(let id):
            if let event = browse.item(id) {
                browse.showDetail(event)
                return .redraw
            }
            let services = environment.services, actor = environment.caller
            return .perform(ScreenWork(label: "Reading security event \(id)…", naming: "security event", id: id) {
                // The trail is read by key: the first event at or below `id`, newest first.
                let page = try await services.securityEvents.list(actor, SecurityEventService.ListRequest(limit: 1, cursor: Store.cursor(afterID: id + 1)))
                guard let event = page.items.first, event.id == id else { throw StewardError(.notFound, "There is no security event \(id).") }
                return .opened(event)
            })
        case .audit(let text):
            browse.closeDetail()
            guard browse.filter.text != text else { return .redraw }
            return browse.setFilter(BrowseFilter(text: text)).map(Message.table)
        case nil:
            // Back to the whole trail, as it was before the drill-down filtered it.
            browse.closeDetail()
            guard browse.filter.text != nil else { return .redraw }
            return browse.setFilter(BrowseFilter()).map(Message.table)
        default:
            return .none
        }
    }

    func receive(_ message: Message) -> ScreenEffect<Message> {
        switch message {
        case .table(let page):
            return browse.receive(page).map(Message.table)
        case .opened(let event):
            browse.remember([event])
            browse.showDetail(event)
            return .redraw
        case .failed(let error):
            return .error(ConsoleEnvironment.describe(error))
        }
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        browse.render(into: &buffer, area: area, theme: theme)
    }
}

/// The words of the Audit tab's `/` line, turned into a security-event query. Words are
/// `name:value`, all of which must hold:
///
/// - `event:FAILED_LOGIN` (any case) — one kind of event;
/// - `user:12` or `user:ada@example.com` (also `subject:`) — events about that account;
/// - `actor:1` or `actor:EMAIL` — events done by that account;
/// - `client:console` — events from that door (`http`, `console`, `cli`);
/// - `since:2026-11-01` and `until:2026-11-30` — a time range in UTC. `since` is inclusive;
///   `until` with a bare date includes that whole day (people mean "up to the 30th" as
///   "through the 30th"), with a date-time it stops just before that moment.
///
/// A bare word that names an event kind is read as `event:`; anything else is refused
/// with the list of words, so a typo never silently shows the unfiltered trail.
struct AuditFilter: Equatable, Sendable {
    var query = SecurityEventService.ListRequest()
    /// Emails to resolve to ids (which needs `users:read`) before the query runs.
    var subjectEmail: String?
    var actorEmail: String?

    static let words = "event: user: actor: client: since: until:"

    init(_ text: String?) throws(StewardError) {
        for word in (text ?? "").split(separator: " ").map(String.init) {
            let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                if let kind = SecurityEventKind(rawValue: word.uppercased()) { query.event = kind; continue }
                throw StewardError(.badInput, "Unknown filter word \"\(word)\": use \(Self.words)")
            }
            let value = parts[1]
            switch parts[0].lowercased() {
            case "event":
                guard let kind = SecurityEventKind(rawValue: value.uppercased()) else {
                    throw StewardError(.badInput, "No event \(value); events are " + SecurityEventKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                query.event = kind
            case "user", "subject":
                if let id = Int64(value), id > 0 { query.subjectID = id } else { subjectEmail = value }
            case "actor":
                if let id = Int64(value), id > 0 { query.actorID = id } else { actorEmail = value }
            case "client":
                query.client = value.lowercased()
            case "since":
                query.since = try Self.date(value, name: "since")
            case "until":
                let date = try Self.date(value, name: "until")
                query.until = Self.isBareDate(value) ? date.addingTimeInterval(86_400) : date
            default:
                throw StewardError(.badInput, "Unknown filter \"\(parts[0]):\": use \(Self.words)")
            }
        }
    }

    private static func isBareDate(_ text: String) -> Bool { text.count == 10 }

    private static func date(_ text: String, name: String) throws(StewardError) -> Date {
        guard let date = Timestamp.parse(text) else {
            throw StewardError(.badInput, "\(name): \(text) is not a date; write 2026-11-30 or 2026-11-30T18:00:00Z")
        }
        return date
    }
}

/// The audit trail as the Audit tab lists it: `SecurityEventService.list`, keyset pages by
/// id, newest first; `s` on Time reverses.
struct AuditListing: BrowseListing {
    let services: Services
    let caller: Caller

    var title: String { "Audit" }
    var noun: String { "security events" }
    var searchHint: String { "filter: \(AuditFilter.words)" }
    var searchVerb: String { "filter" }
    var columns: [TableColumn] { Self.columns }

    static let columns = [
        TableColumn("Time", width: .fixed(16), isSortable: true),
        TableColumn("Event", width: .fixed(19)),
        TableColumn("Subject", width: .fixed(7), alignment: .right),
        TableColumn("Actor", width: .fixed(7), alignment: .right),
        TableColumn("Client", width: .fixed(7)),
        TableColumn("Details", width: .fill(weight: 1, minimum: 10)),
    ]

    func key(of event: SecurityEvent) -> Int64 { event.id }
    func cursor(after key: Int64) -> String { Store.cursor(afterID: key) }
    func isNaturalOrder(_ sort: TableSort?) -> Bool { sort?.ascending != true }

    func list(_ filter: BrowseFilter<NoStatus>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<SecurityEvent> {
        let parsed = try AuditFilter(filter.text)
        var query = parsed.query
        if let email = parsed.subjectEmail { query.subjectID = try await services.users.find(caller, email: email).id }
        if let email = parsed.actorEmail { query.actorID = try await services.users.find(caller, email: email).id }
        query.limit = limit
        query.cursor = cursor
        query.ascending = reversed
        return try await services.securityEvents.list(caller, query)
    }

    func row(_ event: SecurityEvent) -> TableRow<Int64> {
        TableRow(key: event.id, cells: [
            TableCell(ConsoleTime.short(event.createdAt)),
            TableCell(event.event.rawValue, role: Self.role(of: event.event)),
            TableCell(event.userID.map(String.init) ?? "–"),
            TableCell(event.actorID.map(String.init) ?? "–"),
            TableCell(TerminalSafe.line(event.client)),
            TableCell(TerminalSafe.line(Self.shortDetails(event.details))),
        ])
    }

    /// Events an operator should notice stand out; the routine ones do not.
    private static func role(of kind: SecurityEventKind) -> ThemeRole? {
        switch kind {
        case .failedLogin, .permissionDenied: .warning
        case .accountLocked, .tokenReuse, .suspiciousActivity: .error
        default: nil
        }
    }

    /// `key=value` pairs in key order, on one line (the table cuts what does not fit).
    static func shortDetails(_ details: [String: String]) -> String {
        details.keys.sorted().map { "\($0)=\(details[$0]!)" }.joined(separator: " ")
    }

    func summary(_ filter: BrowseFilter<NoStatus>, sort: TableSort?) -> String {
        var parts: [String] = [filter.text.map { "filter: \($0)" } ?? "all events"]
        parts.append(sort?.ascending == true ? "oldest first" : "newest first")
        return parts.joined(separator: " · ")
    }

    func detail(_ event: SecurityEvent, highlight: String?) -> DetailView {
        var fields = [
            DetailField("Time", Timestamp.string(event.createdAt)),
            DetailField("Event", event.event.rawValue, role: Self.role(of: event.event)),
            DetailField("Subject", event.userID.map { "user \($0)" } ?? "none"),
            DetailField("Actor", event.actorID.map { "user \($0)" } ?? "none (anonymous or the system)"),
            DetailField("Client", TerminalSafe.line(event.client)),
        ]
        for key in event.details.keys.sorted() {
            fields.append(DetailField(TerminalSafe.line(key), TerminalSafe.line(event.details[key]!)))
        }
        return DetailView(title: "Security event \(event.id)", fields: fields, highlight: highlight)
    }
}
