import Foundation
import XCTest
@testable import StewardCore

/// The common-password list compiled into the binary, the one every run of Steward uses.
private let shippedCommonPasswords = Result { try CommonPasswords.builtIn }

private func failure<Value>(_ rule: Rule<Value>, _ value: Value) -> String? {
    rule.failure(for: value)
}

// MARK: - E-mail

final class EmailValidationTests: XCTestCase {
    func testAcceptsOrdinaryAddresses() {
        for address in [
            "ana@example.com",
            "ana.maria+newsletter@example.com",
            "first.last@mail.sub.example.co.uk",
            "o'brien_99@example.org",
            "x@a-b.io",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "ana@123.example.com",
        ] {
            XCTAssertNil(failure(.email, address), address)
        }
    }

    func testRefusesMalformedAddresses() {
        let bad = [
            "ana.example.com": "no @",
            "ana@@example.com": "two @ together",
            "ana@maria@example.com": "two @",
            "ana..maria@example.com": "double dot in the local part",
            ".ana@example.com": "leading dot",
            "ana.@example.com": "trailing dot",
            "@example.com": "empty local part",
            "ana@": "empty domain",
            "ana@-example.com": "label starts with a hyphen",
            "ana@example-.com": "label ends with a hyphen",
            "ana@exa_mple.com": "underscore in a label",
            "ana@example..com": "empty label",
            "ana@.example.com": "domain starts with a dot",
            "ana@example.com.": "trailing dot in the domain",
            "ana@localhost": "no top-level domain",
            "ana@example.c": "one-letter top-level domain",
            "ana@example.c0m": "top-level domain with a digit",
            "ana@192.168.0.1": "numeric top-level domain",
            "ana@[192.168.0.1]": "address literal",
            "ana maria@example.com": "space",
            "\"ana\"@example.com": "quoted local part",
            "ana@exämple.com": "non-ASCII domain",
            "anä@example.com": "non-ASCII local part",
            "ana@example.com<script>": "markup",
        ]
        for (address, why) in bad {
            XCTAssertEqual(failure(.email, address), "is not a valid email address", why)
        }
        XCTAssertEqual(failure(.email, ""), "is required")
    }

    func testEnforcesLengthLimits() {
        let local64 = String(repeating: "l", count: 64)
        XCTAssertNil(failure(.email, local64 + "@example.com"))
        XCTAssertEqual(failure(.email, local64 + "l@example.com"), "is not a valid email address", "local part over 64")

        let label63 = String(repeating: "d", count: 63)
        XCTAssertNil(failure(.email, "ana@\(label63).com"))
        XCTAssertEqual(failure(.email, "ana@\(label63)d.com"), "is not a valid email address", "label over 63")

        // 64 + 1 + (63 + 1 + 63 + 1 + 57 + 4) = 254, the longest allowed.
        let domain189 = label63 + "." + String(repeating: "b", count: 63) + "." + String(repeating: "c", count: 57) + ".com"
        let longest = local64 + "@" + domain189
        XCTAssertEqual(longest.utf8.count, 254)
        XCTAssertNil(failure(.email, longest))
        XCTAssertEqual(failure(.email, local64 + "@c" + domain189), "must be at most 254 characters")
    }

    func testNormalizeTrimsAndLowerCases() {
        XCTAssertEqual(Email.normalize("  Ana.Maria+News@Example.COM \n"), "ana.maria+news@example.com")
        XCTAssertNil(failure(.email, Email.normalize(" ANA@EXAMPLE.ORG ")))
    }
}

// MARK: - Passwords

final class PasswordValidationTests: XCTestCase {
    private func passwordRule() throws -> Rule<String> {
        .password(try shippedCommonPasswords.get())
    }

    func testAcceptsPasswordsMeetingEveryRequirement() throws {
        let rule = try passwordRule()
        for password in [
            "Correct-Horse-7-Battery",
            "Zürich Fondue 2024",  // the space is the special character
            "Gr8¿Llama",  // non-ASCII punctuation counts as special
            "Пароль-2024x",  // Cyrillic letters have case too
            "Aa1!" + String(repeating: "x", count: 124),  // exactly 128
            "Aa1!wxyz",  // exactly 8
        ] {
            XCTAssertNil(rule.failure(for: password), password)
        }
    }

    func testReportsEachMissingClass() throws {
        let rule = try passwordRule()
        XCTAssertEqual(rule.failure(for: "GR8-LLAMA-99"), "must contain a lower-case letter")
        XCTAssertEqual(rule.failure(for: "gr8-llama-99"), "must contain an upper-case letter")
        XCTAssertEqual(rule.failure(for: "Great-Llama-Nine"), "must contain a digit")
        XCTAssertEqual(rule.failure(for: "Great8Llama99"), "must contain a special character such as a space or punctuation")
    }

    func testEnforcesLengthInCharactersAsReadersCountThem() throws {
        let rule = try passwordRule()
        XCTAssertEqual(rule.failure(for: "Aa1!xyz"), "must be 8 to 128 characters")
        XCTAssertEqual(rule.failure(for: "Aa1!" + String(repeating: "x", count: 125)), "must be 8 to 128 characters")
        XCTAssertEqual(rule.failure(for: ""), "must be 8 to 128 characters")
        // Four é typed as e + combining acute: 8 characters, 12 scalars.
        XCTAssertNil(rule.failure(for: "Aa1!" + String(repeating: "e\u{0301}", count: 4)))
        // Three of them: 7 characters, even though there are 10 scalars.
        XCTAssertEqual(rule.failure(for: "Aa1!" + String(repeating: "e\u{0301}", count: 3)), "must be 8 to 128 characters")
    }

    func testAccentedLetterTypedWithCombiningMarkIsNotASpecialCharacter() throws {
        // Without a real special character, é (e + U+0301) must not be mistaken for one.
        XCTAssertEqual(try passwordRule().failure(for: "Cafe\u{0301}Creme12"), "must contain a special character such as a space or punctuation")
    }

    func testLengthIsReportedBeforeMissingClasses() throws {
        XCTAssertEqual(try passwordRule().failure(for: "abc"), "must be 8 to 128 characters")
    }

    func testRefusesCommonPasswordsWhateverTheirCase() throws {
        let list = try shippedCommonPasswords.get()
        let rule = try passwordRule()
        // Real entries of the shipped list that otherwise meet every requirement.
        XCTAssertTrue(list.contains("p@ssw0rd"))
        XCTAssertEqual(rule.failure(for: "P@ssw0rd"), "is too common; choose one that is harder to guess")
        XCTAssertTrue(list.contains("password1!"))
        XCTAssertEqual(rule.failure(for: "Password1!"), "is too common; choose one that is harder to guess")
        XCTAssertEqual(rule.failure(for: "PASSWORd1!"), "is too common; choose one that is harder to guess")
        XCTAssertEqual(rule.failure(for: "Qwerty123!"), "is too common; choose one that is harder to guess")
    }

    func testUsesTheListItIsGiven() {
        let rule = Rule<String>.password(CommonPasswords(["Tr0ub4dor&3"]))
        XCTAssertEqual(rule.failure(for: "tr0ub4dor&3".capitalized), "is too common; choose one that is harder to guess")
        XCTAssertNil(rule.failure(for: "Tr0ub4dor&4"))
    }
}

// MARK: - Names

final class PersonNameValidationTests: XCTestCase {
    func testAcceptsNamesFromManyScripts() {
        for name in [
            "Ana", "Zoë", "Jean-Luc", "O'Brien", "D’Angelo", "Gal·la", "Mary Ann",
            "Zoe\u{0308}",  // ë typed with a combining diaeresis
            "Ng\u{2010}Wa",  // U+2010 hyphen
            "Пётр", "Анна-Мария",  // Cyrillic
            "محمد", "مُحَمَّد",  // Arabic, the second with vowel marks (Mn)
            "प्रिया", "देवनागरी",  // Devanagari with virama and vowel signs (Mn, Mc)
            "山田太郎", "さくら", "ヤマダ",  // Japanese
            "ماه\u{200C}رخ",  // Persian with a zero-width non-joiner
            "Ab",  // the shortest allowed
            String(repeating: "a", count: 50),  // the longest allowed
        ] {
            XCTAssertNil(failure(.personName, name), name)
        }
    }

    func testRefusesCharactersThatAreNotPartOfNames() {
        let message = "may contain only letters, spaces, apostrophes, hyphens and middle dots"
        XCTAssertEqual(failure(.personName, "R2D2"), message, "digits")
        XCTAssertEqual(failure(.personName, "Ana 😀"), message, "emoji")
        XCTAssertEqual(failure(.personName, "<script>"), message, "markup")
        XCTAssertEqual(failure(.personName, "Ana<b>"), message)
        XCTAssertEqual(failure(.personName, "Ana_Maria"), message, "underscore")
        XCTAssertEqual(failure(.personName, "Ana\u{200D}Maria"), message, "zero-width joiner is not among the allowed")
        XCTAssertEqual(failure(.personName, "Ana\u{00A0}Maria"), message, "only the ordinary space")
    }

    func testEnforcesLengthInCharactersAsReadersCountThem() {
        XCTAssertEqual(failure(.personName, "A"), "must be 2 to 50 characters")
        XCTAssertEqual(failure(.personName, "e\u{0301}"), "must be 2 to 50 characters", "one character, two scalars")
        XCTAssertEqual(failure(.personName, String(repeating: "a", count: 51)), "must be 2 to 50 characters")
        XCTAssertNil(failure(.personName, String(repeating: "e\u{0301}", count: 25)), "25 characters, 50 scalars")
        XCTAssertEqual(failure(.personName, String(repeating: "e\u{0301}", count: 26)), "must be 2 to 50 characters",
                       "26 characters but 52 scalars: at most 50 scalars too, which the OpenAPI document can state")
        XCTAssertEqual(failure(.personName, "·AA" + String(repeating: "\u{200C}", count: 48)), "must be 2 to 50 characters")
    }

    func testRequiresALetter() {
        XCTAssertEqual(failure(.personName, "- '"), "must contain a letter")
        XCTAssertEqual(failure(.personName, "·\u{200C}-’"), "must contain a letter")
    }
}

// MARK: - Text, choices and numbers

final class TextRuleTests: XCTestCase {
    func testLengthCountsGraphemeClusters() {
        let title = Rule<String>.length(5...200)
        XCTAssertEqual(failure(title, "abc👨\u{200D}👩\u{200D}👧\u{200D}👦"), "must be 5 to 200 characters", "the family is one character")
        XCTAssertNil(failure(title, "abcd👨\u{200D}👩\u{200D}👧\u{200D}👦"))
        XCTAssertNil(failure(title, "Cafe\u{0301}!"), "five characters, six scalars")
        XCTAssertEqual(failure(title, "Cafe\u{0301}"), "must be 5 to 200 characters")
        XCTAssertNil(failure(title, String(repeating: "x", count: 200)))
        XCTAssertEqual(failure(title, String(repeating: "x", count: 201)), "must be 5 to 200 characters")
    }

    func testLengthMessagesReadLikeTheSpec() {
        XCTAssertEqual(failure(.length(10...10_000), "short"), "must be 10 to 10,000 characters")
        XCTAssertEqual(failure(.length(1...2_000), ""), "must be 1 to 2,000 characters")
        XCTAssertEqual(failure(.length(0...30), String(repeating: "x", count: 31)), "must be at most 30 characters")
        XCTAssertEqual(failure(.length(6...6), "12345"), "must be exactly 6 characters")
    }

    func testOneOfComparesExactly() {
        let status = Rule<String>.oneOf(["draft", "published", "archived"])
        XCTAssertNil(failure(status, "published"))
        XCTAssertEqual(failure(status, "deleted"), "must be one of draft, published, archived")
        XCTAssertEqual(failure(status, "Draft"), "must be one of draft, published, archived")
    }

    func testIntegerRange() {
        let limit = Rule<Int>.range(1...100)
        XCTAssertNil(failure(limit, 1))
        XCTAssertNil(failure(limit, 100))
        XCTAssertEqual(failure(limit, 0), "must be 1 to 100")
        XCTAssertEqual(failure(limit, 101), "must be 1 to 100")
        XCTAssertEqual(failure(.range(-5...1_000_000), -6), "must be -5 to 1,000,000")
    }
}

// MARK: - Tags

final class TagsValidationTests: XCTestCase {
    func testAcceptsUpToTenTagsOfTwoToThirtyCharacters() {
        XCTAssertNil(failure(.tags, []))
        XCTAssertNil(failure(.tags, (1...10).map { "tag\($0)" }))
        XCTAssertNil(failure(.tags, ["go", String(repeating: "t", count: 30)]))
        XCTAssertNil(failure(.tags, ["e\u{0301}e\u{0301}"]), "two characters, four scalars")
    }

    func testRefusesElevenTags() {
        XCTAssertEqual(failure(.tags, (1...11).map { "tag\($0)" }), "must have at most 10 tags")
    }

    func testRefusesTagsOfTheWrongLengthNamingTheirPosition() {
        XCTAssertEqual(failure(.tags, ["swift", "x"]), "tag 2 must be 2 to 30 characters")
        XCTAssertEqual(failure(.tags, [String(repeating: "t", count: 31)]), "tag 1 must be 2 to 30 characters")
        XCTAssertEqual(failure(.tags, [" a\u{1B} "]), "tag 1 must be 2 to 30 characters", "measured after cleaning")
    }

    func testNormalizeCleansLowerCasesAndDropsDuplicatesKeepingOrder() {
        XCTAssertEqual(
            Tags.normalize(["Swift", " swift ", "iOS", "SWIFT", "ios", "Cafe\u{0301}", "CAFÉ", "  ", "Linux\u{07}"]),
            ["swift", "ios", "café", "linux"]
        )
        XCTAssertEqual(Array(Tags.normalize(["Cafe\u{0301}"])[0].unicodeScalars).last, "\u{00E9}", "stored in NFC")
    }

    func testDuplicatesCountOnceAfterNormalizing() {
        let twelveWithDuplicates = (1...10).map { "tag\($0)" } + ["TAG1", "Tag2"]
        XCTAssertEqual(failure(.tags, twelveWithDuplicates), "must have at most 10 tags")
        XCTAssertNil(failure(.tags, Tags.normalize(twelveWithDuplicates)))
    }
}

// MARK: - Validator

final class ValidatorTests: XCTestCase {
    func testReportsEveryFailingFieldAtOnce() throws {
        let list = try shippedCommonPasswords.get()
        var validator = Validator()
        validator.check("email", Email.normalize("not-an-address"), .email)
        validator.check("password", "Password1!", .password(list))
        validator.check("firstName", PlainText.clean(" R2D2 "), .personName)
        validator.check("lastName", PlainText.clean(" Ng "), .personName)  // passes
        validator.check("tags", Tags.normalize(["x"]), .tags)
        validator.check("limit", 0, .range(1...100))
        validator.check("status", nil as String?, required: true, .oneOf(["draft"]))

        XCTAssertFalse(validator.isValid)
        do {
            try validator.validate()
            XCTFail("validate() should throw when fields fail")
        } catch {
            XCTAssertEqual(error.kind, .badInput)
            XCTAssertEqual(error.fieldErrors, [
                FieldError(field: "email", message: "is not a valid email address"),
                FieldError(field: "password", message: "is too common; choose one that is harder to guess"),
                FieldError(field: "firstName", message: "may contain only letters, spaces, apostrophes, hyphens and middle dots"),
                FieldError(field: "tags", message: "tag 1 must be 2 to 30 characters"),
                FieldError(field: "limit", message: "must be 1 to 100"),
                FieldError(field: "status", message: "is required"),
            ])
            XCTAssertFalse(error.description.contains("Password1!"), "messages never echo the submitted value")
        }
    }

    func testValidInputDoesNotThrow() throws {
        var validator = Validator()
        validator.check("email", "ana@example.com", .email)
        validator.check("title", "A good title", .length(5...200))
        validator.check("limit", 20, .range(1...100))
        XCTAssertTrue(validator.isValid)
        XCTAssertEqual(validator.errors, [])
        XCTAssertNoThrow(try validator.validate())
    }

    func testFirstFailingRuleSpeaksForTheField() {
        var validator = Validator()
        validator.check("status", "", .length(1...20), .oneOf(["draft"]))
        validator.check("code", "toolong", .oneOf(["ok"]), .length(1...3))
        XCTAssertEqual(validator.errors, [
            FieldError(field: "status", message: "must be 1 to 20 characters"),
            FieldError(field: "code", message: "must be one of ok"),
        ])
    }

    func testOptionalFields() {
        var validator = Validator()
        validator.check("status", nil as String?, required: false, .oneOf(["draft"]))
        validator.check("title", "Fine title" as String?, required: true, .length(5...200))
        XCTAssertTrue(validator.isValid, "a missing optional field and a present valid one both pass")

        validator.check("parentStatus", "gone" as String?, required: false, .oneOf(["draft"]))
        validator.check("title2", nil as String?, required: true, .length(5...200))
        XCTAssertEqual(validator.errors, [
            FieldError(field: "parentStatus", message: "must be one of draft"),
            FieldError(field: "title2", message: "is required"),
        ])
    }

    func testAddRecordsFailuresNoRuleExpresses() {
        var validator = Validator()
        validator.add("parentId", "must be a comment on the same post")
        XCTAssertThrowsError(try validator.validate()) { error in
            XCTAssertEqual((error as? StewardError)?.fieldErrors, [FieldError(field: "parentId", message: "must be a comment on the same post")])
        }
    }

    func testCustomRules() {
        let even = Rule<Int> { $0.isMultiple(of: 2) ? nil : "must be even" }
        var validator = Validator()
        validator.check("n", 3, even)
        validator.check("m", 4, even)
        XCTAssertEqual(validator.errors, [FieldError(field: "n", message: "must be even")])
    }
}

// MARK: - Common-password list

final class CommonPasswordsTests: XCTestCase {
    func testBuiltInListIsCompiledInWhole() throws {
        let list = try CommonPasswords.builtIn
        // 30,049 entries today (data/README.md); a truncated or missing embed would fall far short.
        XCTAssertGreaterThanOrEqual(list.count, 30_000)
        XCTAssertTrue(list.contains("123456"))
        XCTAssertTrue(list.contains("PassWord"))
        XCTAssertFalse(list.contains("correct-horse-7-battery-staple"))
        XCTAssertEqual(Rule<String>.password(list).failure(for: "Password1!"), "is too common; choose one that is harder to guess")
    }

    func testBuiltInFileIsLowerCasedAndDeduplicated() {
        let entries = String(decoding: PackageResources.common_passwords_txt, as: UTF8.self)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(Set(entries).count, entries.count, "no duplicates")
        XCTAssertTrue(entries.allSatisfy { $0 == $0.lowercased() }, "every entry lower-cased")
    }

    func testWordsAreLowerCasedAndDeduplicated() {
        let list = CommonPasswords(["HeLLo", "hello", "", "World"])
        XCTAssertEqual(list.count, 2)
        XCTAssertTrue(list.contains("HELLO"))
        XCTAssertTrue(list.contains("world"))
        XCTAssertFalse(list.contains(""))
    }

    func testFormatSkipsCommentsAndBlankLinesAndAcceptsCRLF() throws {
        let list = try CommonPasswords(text: "# a comment\r\nalpha\r\n\r\n  Beta  \n#gamma\ndelta", source: "test")
        XCTAssertEqual(list.count, 3)
        XCTAssertTrue(list.contains("alpha"))
        XCTAssertTrue(list.contains("beta"))
        XCTAssertTrue(list.contains("delta"))
        XCTAssertFalse(list.contains("#gamma"))
        XCTAssertFalse(list.contains("gamma"))
    }

    func testListWithoutEntriesIsAnError() {
        XCTAssertThrowsError(try CommonPasswords(text: "# only a comment\n\n", source: "empty.txt")) { error in
            XCTAssertEqual((error as? StewardError)?.kind, .internalError)
            XCTAssertEqual((error as? StewardError)?.underlying, "the common-password list empty.txt has no entries")
        }
    }
}
