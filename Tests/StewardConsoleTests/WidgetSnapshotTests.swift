import XCTest
@testable import StewardConsole

/// Every widget drawn at the two sizes the console is designed around, 80×24 (the
/// minimum) and 120×36, and compared with `Snapshots/<widget>-<size>.txt`. The expected
/// files are the reviewed look of each widget; see ``Snapshot`` for re-recording them.
final class WidgetSnapshotTests: XCTestCase {
    private static let sizes = [(80, 24), (120, 36)]
    private let theme = Theme.monochrome

    private func snapshot(_ name: String, draw: (inout CellBuffer, Rect) -> Void, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in Self.sizes {
            var buffer = CellBuffer(width: width, height: height)
            draw(&buffer, buffer.area)
            Snapshot.assertMatches(buffer, named: "\(name)-\(width)x\(height)", file: file, line: line)
        }
    }

    private static let users: [TableRow<Int>] = [
        TableRow(key: 1, cells: ["1", "ada@example.com", "Ada Lovelace", "admin", "active"]),
        TableRow(key: 2, cells: ["2", "taro@example.jp", "山田 太郎", "moderator", "active"]),
        TableRow(key: 3, cells: ["3", "zoe@example.com", "Zoë 👩‍💻 Okafor", "user", "active"]),
        TableRow(key: 4, cells: ["4", "amelie@example.fr", "Ame\u{301}lie Poulain", "user", TableCell("inactive", role: .muted)], role: .muted),
        TableRow(key: 5, cells: ["5", "minjun@example.kr", "김민준", "user", "active"]),
        TableRow(key: 6, cells: ["6", "mallory@example.com", "\u{1B}]0;pwned\u{7}Mallory\u{1B}[2J", "user", "active"]),
        TableRow(key: 7, cells: ["7", "a.very.long.address.that.does.not.fit@subdomain.example.com", "Bartholomew Featherstonehaugh-Cholmondeley", "user", "active"]),
    ]

    private static let userColumns = [
        TableColumn("ID", width: .fixed(5), alignment: .right, isSortable: true),
        TableColumn("Email", width: .fill(weight: 2, minimum: 16), isSortable: true),
        TableColumn("Name", width: .fill(weight: 1, minimum: 12)),
        TableColumn("Roles", width: .fixed(10)),
        TableColumn("State", width: .fixed(8)),
    ]

    func testTabBar() {
        snapshot("tabbar") { buffer, area in
            var tabs = TabBar(titles: ["Users", "Roles", "Posts", "Comments", "Logs"], label: " Steward ", trailing: "ada (admin)")
            tabs.select(2)
            tabs.render(into: &buffer, area: area.top(1), theme: theme)
        }
    }

    func testTable() {
        snapshot("table") { buffer, area in
            var table = Table(columns: Self.userColumns, source: InMemoryTableSource(rows: Self.users), sort: TableSort(column: 1, ascending: true))
            let tableArea = area.inset(top: 1, bottom: 1)
            table.fit(to: tableArea)
            _ = table.handle(.char("j"), area: tableArea)
            table.render(into: &buffer, area: tableArea, theme: theme)
        }
    }

    func testDetailView() {
        snapshot("detailview") { buffer, area in
            let content = """
                Steward keeps the console and the HTTP API in step: every action, from either door, \
                is validated, permission-checked and audited in the same place.

                日本語の文章も表示幅に合わせて折り返されます。全角文字は二列を占めます。

                Tabs\tare expanded, and control characters such as \u{1B}[2J are shown, not obeyed.
                """
            let detail = DetailView(
                title: "Post 42 · Hello, world",
                fields: [
                    DetailField("Status", "published", role: .statusPublished),
                    DetailField("Author", "山田 太郎 <taro@example.jp>"),
                    DetailField("Tags", "announcements, release, 🎉"),
                ],
                body: content,
                highlight: "audited"
            )
            detail.render(into: &buffer, area: area.inset(top: 1, bottom: 1), theme: theme)
        }
    }

    func testForm() {
        snapshot("form") { buffer, area in
            var form = Form(title: "Create the first admin", fields: [
                FormField(id: "email", label: "Email", value: "ada@example.com"),
                FormField(id: "first", label: "First name", value: "Ada"),
                FormField(id: "last", label: "Last name", placeholder: "2 to 50 letters"),
                FormField(id: "password", label: "Password", value: "correct horse", isSecure: true),
            ])
            form.setError("needs an upper-case letter, a digit and a symbol", for: "password")
            _ = form.handle(.tab)
            form.render(into: &buffer, area: area, theme: theme)
        }
    }

    func testConfirmDialog() {
        snapshot("confirmdialog") { buffer, area in
            let dialog = ConfirmDialog(
                title: "Delete post",
                message: "Delete “Hello, world” by 山田 太郎? Its 12 comments go too. This cannot be undone.",
                confirmLabel: "Delete", cancelLabel: "Cancel", isDestructive: true
            )
            dialog.render(into: &buffer, area: area, theme: theme)
        }
    }

    func testHelpOverlay() {
        snapshot("helpoverlay") { buffer, area in
            let hints: KeyHintList = [
                KeyHint(key: "1–5", action: "switch tab", section: "Navigation"),
                KeyHint(key: "Tab/S-Tab", action: "next / previous tab", section: "Navigation"),
                KeyHint(key: "j/k ↓/↑", action: "move", section: "Navigation"),
                KeyHint(key: "g/G", action: "top / bottom", section: "Navigation"),
                KeyHint(key: "PgUp/PgDn", action: "page", section: "Navigation"),
                KeyHint(key: "Enter", action: "open", section: "Navigation"),
                KeyHint(key: "Esc", action: "back", section: "Navigation"),
                KeyHint(key: "/", action: "filter", section: "Search"),
                KeyHint(key: "n/N", action: "next / previous match", section: "Search"),
                KeyHint(key: "s", action: "change sort", section: "Search"),
                KeyHint(key: "p", action: "publish", section: "Posts"),
                KeyHint(key: "a", action: "archive", section: "Posts"),
                KeyHint(key: "d", action: "back to draft", section: "Posts"),
                KeyHint(key: "D", action: "delete (asks first)", section: "Posts"),
                KeyHint(key: ":", action: "command line", section: "General"),
                KeyHint(key: "S", action: "start / stop HTTP listener", section: "General"),
                KeyHint(key: "?", action: "this help", section: "General"),
                KeyHint(key: "q", action: "quit", section: "General"),
            ]
            HelpOverlay(hints: hints).render(into: &buffer, area: area, theme: theme)
        }
    }

    func testCommandPrompt() {
        snapshot("commandprompt") { buffer, area in
            var prompt = CommandPrompt()
            for character in "publish 42" { _ = prompt.handle(.char(character)) }
            prompt.render(into: &buffer, area: area.bottom(1), theme: theme)
        }
    }

    func testStatusBar() {
        snapshot("statusbar") { buffer, area in
            let bar = StatusBar(
                segments: [StatusSegment("ada (admin)"), StatusSegment("data/demo.sqlite"), StatusSegment("HTTP 127.0.0.1:8080 · 12 req/s")],
                hints: [
                    KeyHint(key: "j/k", action: "move"), KeyHint(key: "Enter", action: "open"), KeyHint(key: "/", action: "filter"),
                    KeyHint(key: ":", action: "command"), KeyHint(key: "?", action: "help"), KeyHint(key: "q", action: "quit"),
                ]
            )
            bar.render(into: &buffer, area: area.bottom(1), theme: theme)
        }
    }

    func testSparkline() {
        snapshot("sparkline") { buffer, area in
            let values: [Double] = (0..<150).map { (index: Int) -> Double in
                let wave = Double((index * 7) % 23)
                let spike: Double = index % 10 == 0 ? 30 : 0
                return wave + spike
            }
            Sparkline(values: values).render(into: &buffer, area: Rect(x: 2, y: 2, width: area.width - 4, height: 1), theme: theme)
            Sparkline(values: values, maxValue: 60).render(into: &buffer, area: Rect(x: 2, y: 4, width: area.width - 4, height: 3), theme: theme)
        }
    }

    func testNotice() {
        snapshot("notice") { buffer, area in
            Notice(title: "Nothing here yet", message: "No posts match “release”. Press Esc to clear the filter.").render(into: &buffer, area: area, theme: theme)
        }
    }

    func testFrame() {
        snapshot("frame") { buffer, area in
            Frame(title: "Users (7)", footer: "1–7").render(into: &buffer, area: area.inset(by: 2), theme: theme)
        }
    }

    /// The widgets together, as a screen would lay them out.
    func testConsoleLayout() {
        snapshot("console") { buffer, area in
            let bands = area.splitRows([.fixed(1), .fill, .fixed(1)])
            TabBar(titles: ["Users", "Roles", "Posts", "Comments", "Logs"], label: " Steward ").render(into: &buffer, area: bands[0], theme: theme)
            let panes = bands[1].splitColumns([.fill(weight: 3, minimum: 40), .fill(weight: 2, minimum: 30)])
            let inner = Frame(title: "Users (7)").render(into: &buffer, area: panes[0], theme: theme)
            var table = Table(columns: Array(Self.userColumns.prefix(3)), source: InMemoryTableSource(rows: Self.users))
            table.fit(to: inner)
            _ = table.handle(.down, area: inner)
            table.render(into: &buffer, area: inner, theme: theme)
            let selected = table.selectedRow!
            DetailView(
                title: "User \(selected.key)",
                fields: [DetailField("Email", selected.cells[1].text), DetailField("Name", selected.cells[2].text), DetailField("Roles", selected.cells[3].text)],
                body: "Recent security events\n\nSUCCESSFUL_LOGIN  console\nROLE_CHANGE       console"
            ).render(into: &buffer, area: panes[1], theme: theme)
            StatusBar(
                segments: [StatusSegment("ada (admin)"), StatusSegment("data/demo.sqlite"), StatusSegment("HTTP off")],
                hints: [KeyHint(key: "?", action: "help"), KeyHint(key: "q", action: "quit")]
            ).render(into: &buffer, area: bands[2], theme: theme)
        }
    }
}
