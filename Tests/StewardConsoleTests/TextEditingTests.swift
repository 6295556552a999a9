import XCTest
@testable import StewardConsole

final class TextEditingTests: XCTestCase {
    private func type(_ text: String, into field: inout TextField) {
        for character in text { _ = field.handle(.char(character)) }
    }

    func testBackspaceRemovesWholeGraphemeClusters() {
        var field = TextField()
        type("ab👨‍👩‍👧", into: &field)
        XCTAssertEqual(field.cursor, 3)
        _ = field.handle(.backspace)
        XCTAssertEqual(field.text, "ab", "the family emoji (five scalars) goes in one press")

        field.setText("x🇫🇷y")
        _ = field.handle(.left)
        _ = field.handle(.backspace)
        XCTAssertEqual(field.text, "xy", "a flag is one character")
    }

    func testACombiningMarkTypedSeparatelyJoinsThePreviousCharacter() {
        var field = TextField()
        _ = field.handle(.char("e"))
        _ = field.handle(.char("\u{301}"))
        XCTAssertEqual(field.text, "e\u{301}")
        XCTAssertEqual(field.cursor, 1)
        _ = field.handle(.char("t"))
        XCTAssertEqual(field.cursor, 2)
        _ = field.handle(.backspace)
        _ = field.handle(.backspace)
        XCTAssertEqual(field.text, "", "é written as e + U+0301 is removed whole")
    }

    func testCursorMovementAndReadlineKeys() {
        var field = TextField(text: "hello world")
        _ = field.handle(.home)
        _ = field.handle(.right)
        _ = field.handle(.char("X"))
        XCTAssertEqual(field.text, "hXello world")
        _ = field.handle(.end)
        _ = field.handle(.ctrl("w"))
        XCTAssertEqual(field.text, "hXello ")
        _ = field.handle(.ctrl("a"))
        _ = field.handle(.delete)
        XCTAssertEqual(field.text, "Xello ")
        _ = field.handle(.right)
        _ = field.handle(.ctrl("k"))
        XCTAssertEqual(field.text, "X")
        _ = field.handle(.ctrl("e"))
        type("yz", into: &field)
        _ = field.handle(.left)
        _ = field.handle(.ctrl("u"))
        XCTAssertEqual(field.text, "z")
        XCTAssertEqual(field.cursor, 0)
        XCTAssertFalse(field.handle(.enter), "Enter belongs to the owner")
        XCTAssertFalse(field.handle(.tab))
    }

    func testControlCharactersAndOverlongInputAreRefused() {
        var field = TextField(maxLength: 3)
        type("a\u{1B}b\nc", into: &field)
        XCTAssertEqual(field.text, "abc")
        type("d", into: &field)
        XCTAssertEqual(field.text, "abc")
    }

    func testSecureFieldDrawsOneBulletPerCharacterAndScrollsToTheCursor() {
        var field = TextField(isSecure: true)
        type("pä👍ss", into: &field)
        var buffer = CellBuffer(width: 10, height: 1)
        field.render(into: &buffer, area: buffer.area, style: .plain, cursorStyle: Style(attributes: .reverse), placeholderStyle: .plain, showsCursor: true)
        XCTAssertEqual(buffer.text(), "•••••")
        XCTAssertEqual(buffer[5, 0].style.attributes, .reverse, "the cursor after the text")

        var long = TextField(text: "abcdefghijklmnop")
        var narrow = CellBuffer(width: 6, height: 1)
        long.render(into: &narrow, area: narrow.area, style: .plain, cursorStyle: .plain, placeholderStyle: .plain, showsCursor: true)
        XCTAssertEqual(narrow.text(), "lmnop", "scrolled so the end and the cursor cell show")
        _ = long.handle(.home)
        narrow = CellBuffer(width: 6, height: 1)
        long.render(into: &narrow, area: narrow.area, style: .plain, cursorStyle: .plain, placeholderStyle: .plain, showsCursor: true)
        XCTAssertEqual(narrow.text(), "abcdef")
    }

    func testFormMovesBetweenFieldsSubmitsAndCancels() {
        var form = Form(title: "Sign in", fields: [
            FormField(id: "email", label: "Email"),
            FormField(id: "password", label: "Password", isSecure: true),
        ])
        for character in "ann@example.com" { XCTAssertEqual(form.handle(.char(character)), .editing) }
        XCTAssertEqual(form.handle(.tab), .editing)
        XCTAssertEqual(form.focusedIndex, 1)
        for character in "Sécret1!" { _ = form.handle(.char(character)) }
        _ = form.handle(.backspace)
        XCTAssertEqual(form.handle(.backTab), .editing)
        XCTAssertEqual(form.focusedIndex, 0)
        XCTAssertEqual(form.handle(.backTab), .editing)
        XCTAssertEqual(form.focusedIndex, 1, "Shift-Tab wraps around")
        XCTAssertEqual(form.handle(.enter), .submitted)
        XCTAssertEqual(form.values, ["email": "ann@example.com", "password": "Sécret1"])
        XCTAssertEqual(form.handle(.escape), .cancelled)
    }

    func testFormShowsErrorsUnderTheirFields() {
        var form = Form(title: "New user", fields: [
            FormField(id: "email", label: "Email", value: "not-an-email"),
            FormField(id: "first", label: "First name", value: "Zoë"),
            FormField(id: "password", label: "Password", value: "hunter2", isSecure: true),
        ])
        form.setError("must be a valid address", for: "email")
        form.setError("needs a digit, an upper-case letter and a symbol", for: "password")
        form.message = "2 fields need attention"
        form.focusFirstError()
        XCTAssertEqual(form.focusedIndex, 0)
        var buffer = CellBuffer(width: 80, height: 24)
        form.render(into: &buffer, area: buffer.area, theme: .monochrome)
        let text = buffer.text()
        XCTAssertTrue(text.contains("not-an-email"))
        XCTAssertTrue(text.contains("•••••••"))
        XCTAssertFalse(text.contains("hunter2"), "a password never appears on screen")
        let lines = buffer.lines()
        guard let emailLine = lines.firstIndex(where: { $0.contains("not-an-email") }) else {
            return XCTFail("email field not drawn")
        }
        XCTAssertTrue(lines[emailLine + 1].contains("must be a valid address"), "the error sits right under its field")
        XCTAssertTrue(text.contains("2 fields need attention"))
        form.clearErrors()
        buffer = CellBuffer(width: 80, height: 24)
        form.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertFalse(buffer.text().contains("must be a valid address"))
    }

    func testCommandPromptHistoryKeepsTheDraft() {
        var prompt = CommandPrompt()
        for character in "publish 1" { _ = prompt.handle(.char(character)) }
        XCTAssertEqual(prompt.handle(.enter), .submitted("publish 1"))
        for character in "  archive 2  " { _ = prompt.handle(.char(character)) }
        XCTAssertEqual(prompt.handle(.enter), .submitted("archive 2"), "surrounding spaces are trimmed")
        XCTAssertEqual(prompt.history, ["publish 1", "archive 2"])

        for character in "dra" { _ = prompt.handle(.char(character)) }
        _ = prompt.handle(.up)
        XCTAssertEqual(prompt.text, "archive 2")
        _ = prompt.handle(.up)
        XCTAssertEqual(prompt.text, "publish 1")
        _ = prompt.handle(.up)
        XCTAssertEqual(prompt.text, "publish 1", "stops at the oldest")
        _ = prompt.handle(.down)
        XCTAssertEqual(prompt.text, "archive 2")
        _ = prompt.handle(.down)
        XCTAssertEqual(prompt.text, "dra", "past the newest entry the draft comes back")
        XCTAssertEqual(prompt.handle(.escape), .cancelled)
        XCTAssertEqual(prompt.text, "")
    }

    func testCommandPromptCancelsOnEmptyLine() {
        var prompt = CommandPrompt(prompt: "/")
        XCTAssertEqual(prompt.handle(.enter), .cancelled)
        _ = prompt.handle(.char("x"))
        XCTAssertEqual(prompt.handle(.backspace), .editing)
        XCTAssertEqual(prompt.handle(.backspace), .cancelled, "Backspace on an empty line leaves, as in vi")
        XCTAssertEqual(prompt.history, [])
    }

    func testCommandPromptHistoryIsBounded() {
        var prompt = CommandPrompt()
        prompt.historyLimit = 3
        for index in 1...5 {
            _ = prompt.handle(.char(Character(String(index))))
            _ = prompt.handle(.enter)
        }
        XCTAssertEqual(prompt.history, ["3", "4", "5"])
        _ = prompt.handle(.char("5"))
        _ = prompt.handle(.enter)
        XCTAssertEqual(prompt.history, ["3", "4", "5"], "a repeat of the last line is not stored twice")
    }
}
