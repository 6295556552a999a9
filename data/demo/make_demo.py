#!/usr/bin/env python3
"""Writes Steward's demo data set: users.json, posts.json and comments.json.

The demo is the internal blog and knowledge base of a small product team (they build
"Tidewater", a bookings app): engineering notes, release announcements, how-tos, incident
write-ups and team news, written by fourteen people across the three built-in roles.
`steward seed --demo` and `steward console --demo` load it.

The files go to Sources/StewardCore/Resources/demo/, where SwiftPM compiles them into the
binary (rebuild after running this); data/demo/ holds symbolic links to them.

Run it from anywhere with Python 3 (standard library only):

    python3 data/demo/make_demo.py

The output is deterministic: the texts are written out below, and the only randomness
(the minute a post was written, when each comment came in) comes from a fixed seed, so
running it again reproduces the committed JSON byte for byte. Before writing anything the
script checks every record against docs/security.md (passwords, names, titles, content, tags, the
10-posts-a-day limit, comment threading) and stops with a message if one fails, so the
demo can never seed data the service itself would refuse.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent.parent / "Sources" / "StewardCore" / "Resources"
OUTPUT = RESOURCES / "demo"
COMMON_PASSWORDS = RESOURCES / "common-passwords.txt"

# Every timestamp lies in the 90 days before this instant.
END = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
SEED = 20261120

# ---------------------------------------------------------------------------------------
# Users. `key` is only this script's shorthand for the author; the JSON carries emails.
# ---------------------------------------------------------------------------------------

USERS = [
    # key, email, first name, last name, password, roles, active
    ("margit", "admin@steward.test", "Margit", "Halvorsen", "Admin#Demo2026", ["admin"], True),
    ("priya", "priya.raman@steward.test", "Priya", "Raman", "Priya#Keys2026", ["admin"], True),
    ("tomas", "moderator@steward.test", "Tomás", "O’Connell", "Moderator#Demo2026", ["moderator"], True),
    ("zoe", "zoe.martin@steward.test", "Zoë", "Martin-Leclerc", "Zoe#Pixels2026", ["moderator"], True),
    ("kenji", "kenji.watanabe@steward.test", "Kenji", "Watanabe", "Kenji#Review2026", ["moderator"], True),
    ("sam", "user@steward.test", "Sam", "Okafor", "User#Demo2026", ["user"], True),
    ("soren", "soren.kjaer@steward.test", "Søren", "Kjær", "Soren#Bikes2026", ["user"], True),
    ("gosia", "malgorzata.nowak@steward.test", "Małgorzata", "Nowak", "Gosia#Pierogi2026", ["user"], True),
    ("jose", "jose.alvarez@steward.test", "José", "Álvarez Ruiz", "Jose#Release2026", ["user"], True),
    ("lan", "lan.nguyen@steward.test", "Lan", "Nguyễn Thị", "Lan#Lotus2026!", ["user"], True),
    ("fatima", "fatima.elamrani@steward.test", "Fatima", "El-Amrani", "Fatima#Atlas2026", ["user"], True),
    ("misaki", "misaki.sato@steward.test", "美咲", "佐藤", "Misaki#Sakura2026", ["user"], True),
    ("olafur", "olafur.gunnarsson@steward.test", "Ólafur", "Gunnarsson", "Olafur#Geyser2026", ["user"], True),
    # Dmitri left at the end of September; his account is kept, deactivated, so that his
    # posts and comments keep their author.
    ("dmitri", "dmitri.volkov@steward.test", "Dmitri", "Volkov", "Dmitri#Handover2026", ["user"], False),
]

EMAIL = {key: email for key, email, *_ in USERS}
# Dmitri's last day: nothing of his is dated after it.
DMITRI_LAST_DAY_AGO = 40

# ---------------------------------------------------------------------------------------
# Small helpers that write the allowed HTML (docs/security.md's allowlist, the part the demo uses).
# Text passed to p(), li() and friends may hold inline markup and must escape & < > itself;
# code passed to pre() and c() is plain text and is escaped here.
# ---------------------------------------------------------------------------------------


def p(text: str) -> str:
    return f"<p>{text}</p>"


def h2(text: str) -> str:
    return f"<h2>{text}</h2>"


def ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def ol(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def pre(code: str) -> str:
    return "<pre><code>" + html.escape(code.strip("\n"), quote=False) + "</code></pre>"


def quote(text: str) -> str:
    return f"<blockquote><p>{text}</p></blockquote>"


def c(text: str) -> str:
    """Inline code."""
    return "<code>" + html.escape(text, quote=False) + "</code>"


def a(href: str, text: str) -> str:
    return f'<a href="{href}">{text}</a>'


def body(*blocks: str) -> str:
    return "\n".join(blocks)


# ---------------------------------------------------------------------------------------
# Posts: key, author, status, days before END, title, tags, content.
# ---------------------------------------------------------------------------------------

POSTS = [
    ("p01", "margit", "published", 89, "Welcome to the team blog", ["meta", "team"], body(
        p("Hi all! This is the new home for everything we used to scatter across chat threads, "
          "the wiki and that one Google Doc nobody can find. Release notes, how-tos, incident "
          "write-ups, half-formed ideas: if you would explain it to a colleague twice, write it here once."),
        p("A few ground rules, and then I will get out of the way:"),
        ul("Write for the person who joins next year. Link to the ticket, but say what happened.",
           "Drafts are fine. Nobody but moderators sees them until you publish.",
           "Tag generously, but lower-case: <em>release</em>, not <em>Release</em>.",
           "Comments are for questions and corrections. Arguments go to a call."),
        p("Moderators for now are Tomás, Zoë and Kenji. If something should not be here (a pasted "
          "password, a customer's details), flag it to them and they will hide it."),
        p("Looking forward to reading what you write. — Margit"),
    )),
    ("p02", "dmitri", "archived", 88, "Deploying with the old Fabric scripts", ["deploys", "legacy"], body(
        p("<strong>Superseded:</strong> we deploy from CI now. This page stays for the history "
          "and for the day someone has to understand what <code>fab prod deploy</code> used to do."),
        p("The short version of the old flow:"),
        ol("SSH to the bastion with your own key (never the shared one).",
           "Run " + c("fab -H app1,app2 prod deploy:tag=v2.1.7") + ", which pulls the tag, installs dependencies and restarts the workers one at a time.",
           "Watch the error rate on the dashboard for ten minutes.",
           "If it looks wrong, " + c("fab prod rollback") + " switches the symlink back to the previous release."),
        p("The scripts assumed Python 2 on the servers, which is the main reason we retired them."),
    )),
    ("p03", "priya", "published", 86, "On-call handbook, version 3", ["on-call", "process", "handbook"], body(
        p("This replaces the version on the wiki. The big changes: shorter shifts, a proper "
          "hand-over, and a clear line on when to wake someone up."),
        h2("Shifts"),
        p("A shift is one week, Monday 10:00 to Monday 10:00 Oslo time, with a primary and a "
          "secondary. The secondary is there so the primary can go to the cinema. Swap freely, "
          "but update the schedule <em>before</em> the swap starts, not after."),
        h2("What pages you"),
        ul("The API error rate above 2% for five minutes.",
           "Bookings failing to save, whatever the rate.",
           "The database replica more than five minutes behind.",
           "Certificate expiry inside seven days (yes, after September)."),
        p("Everything else goes to the <code>#ops-noise</code> channel and waits for working hours."),
        h2("When you are paged"),
        ol("Acknowledge within fifteen minutes. If you cannot, the secondary gets it automatically.",
           "Open an incident channel and write down what you see, even if it is just “looking”.",
           "Mitigate first, diagnose later. Rolling back is always allowed without asking.",
           "If customers are affected for more than thirty minutes, tell support and post a status update.",
           "When it is over, write a short note here within two working days."),
        h2("When to wake someone up"),
        p("If you have been stuck for twenty minutes, call the secondary. If the two of you are "
          "stuck for another twenty, call me or Margit. Nobody has ever been told off for calling "
          "too early; people have been told off for suffering alone at 4 a.m."),
        h2("Hand-over"),
        p("Monday at 10:00, fifteen minutes, outgoing and incoming primary. Go through open "
          "incidents, anything flapping, and anything you silenced. Write the silences down: "
          "a silenced alert that nobody remembers is how the certificate expired."),
        h2("Compensation"),
        p("A flat weekly amount plus time off in lieu for any night you were woken. The details "
          "are in the HR handbook; the short version is that a bad night means a late start."),
        quote("Being on call should be boring. If it is not, that is a bug in the system, not in you."),
    )),
    ("p04", "kenji", "published", 85, "How we review code", ["code-review", "process"], body(
        p("Some notes on what I look for in a review, written down because I kept repeating "
          "them in comments. None of this is law; all of it is negotiable in the PR."),
        h2("Before you ask for review"),
        ul("The description says <strong>why</strong>. The diff already says what.",
           "It is small enough to review in one sitting. 400 lines is a lot; 1,500 is a weekend.",
           "Tests pass locally, and there is a test that would have caught the bug you fixed."),
        h2("When you review"),
        ul("Answer within one working day, even if the answer is “I need until Thursday”.",
           "Separate blocking comments from suggestions. I prefix suggestions with <em>nit:</em>.",
           "Ask questions instead of making statements: “what happens if this is nil?” reads better than “this crashes”.",
           "Approve with comments when the remaining points are small. Trust people to fix them."),
        p("And please: if you learned something from a PR, say so in the review. It is nice to hear."),
    )),
    ("p05", "soren", "published", 84, "Setting up a local dev environment in 20 minutes", ["how-to", "onboarding", "dev-env"], body(
        p("Our old setup guide had 43 steps. This one has six, because most of the rest now lives "
          "in the bootstrap script. Tested on a fresh Mac and on Debian 12."),
        ol("Install the toolchain: " + c("brew bundle") + " on macOS, or " + c("sudo apt-get install -y build-essential sqlite3 libsqlite3-dev") + " on Debian.",
           "Clone the repository and run " + c("./scripts/bootstrap") + ". It creates " + c(".env") + " from the example file and a local database.",
           "Run " + c("make seed") + " to fill the database with the demo data.",
           "Start the API with " + c("make run") + " and open " + c("http://localhost:8080/healthz") + "; you should see " + c('{"status":"ok"}') + ".",
           "Start the web app with " + c("npm run dev") + " in " + c("web/") + ".",
           "Sign in as " + c("user@steward.test") + " (the password is in the demo README)."),
        h2("If something fails"),
        p("Nine times out of ten it is a stale " + c(".env") + ". Delete it and run the bootstrap "
          "again. The tenth time, ask in <code>#dev-help</code> and paste the whole error, not a screenshot of half of it."),
    )),
    ("p06", "dmitri", "archived", 83, "Release checklist (2024 edition)", ["release", "legacy", "checklist"], body(
        p("Kept for reference. The current checklist is generated by the release bot."),
        ol("Freeze main on Tuesday at noon.",
           "Bump the version in three places (yes, three).",
           "Write the changelog by reading every merged PR title.",
           "Tag, build, upload to both stores, pray.",
           "Post in #general when the stores approve."),
    )),
    ("p07", "sam", "published", 82, "git bisect saved my afternoon", ["git", "debugging"], body(
        p("Quick one. The booking export started producing empty CSVs sometime in the last two "
          "weeks, and nobody knew which of the ~120 commits did it. Instead of reading them, I let "
          + a("https://git-scm.com/docs/git-bisect", "git bisect") + " do a binary search:"),
        pre("""
git bisect start
git bisect bad HEAD
git bisect good v2.2.0
git bisect run ./scripts/check-export.sh
"""),
        p("The script exits 0 when the export has rows and 1 when it is empty. Seven steps later "
          "git pointed at a commit that renamed a column in a view the exporter still used. Total time: "
          "twelve minutes, most of it writing the script."),
        p("Tip: " + c("git bisect skip") + " when a commit does not build, and always finish with "
          + c("git bisect reset") + " or you will wonder why you are on a detached HEAD tomorrow."),
    )),
    ("p08", "misaki", "published", 80, "新人向け：ローカル開発環境のセットアップ", ["onboarding", "japanese", "dev-env"], body(
        p("Sørenさんの英語のガイドを日本語にまとめました。新しく入った方はまずこちらをどうぞ。"),
        ol("ツールをインストールします（macOSなら " + c("brew bundle") + "）。",
           "リポジトリをクローンして " + c("./scripts/bootstrap") + " を実行します。",
           c("make seed") + " でデモデータを入れます。",
           c("make run") + " でAPIを起動し、ブラウザで " + c("/healthz") + " を確認します。"),
        p("うまくいかないときは、まず " + c(".env") + " を消してもう一度 bootstrap してください。"
          "それでもだめなら <code>#dev-help</code> で気軽に聞いてくださいね。"),
    )),
    ("p09", "jose", "archived", 79, "Tidewater 2.3 is out", ["release", "tidewater"], body(
        p("2.3 went out to both stores this morning. Highlights:"),
        ul("Recurring bookings can now end on a date or after a number of visits.",
           "The calendar loads about 40% faster on older Android phones.",
           "Receipts show the business's VAT number when it has one."),
        p("Thanks to everyone who tested the beta, and to Gosia for the last-minute fix to the "
          "weekly repeat. Full notes are in the changelog."),
    )),
    ("p10", "gosia", "published", 78, "Time zones are hard: the DST bug in recurring bookings", ["bug", "time-zones", "postmortem"], body(
        p("Two customers in Chile reported that their weekly 9:00 appointments moved to 8:00 on "
          "6 September. This is the story of why, and what we changed."),
        h2("What happened"),
        p("We stored the first occurrence as a UTC instant and generated the rest by adding "
          "seven days of seconds. That is correct right up until the clocks change: Chile moved "
          "to summer time on 6 September, so “UTC + 7 × 86,400 s” landed an hour early in local time."),
        h2("The fix"),
        p("A recurring booking is now stored as a <strong>local</strong> date and time plus the "
          "business's IANA time zone (" + c("America/Santiago") + "), and each occurrence is "
          "converted to UTC when it is generated. The conversion uses the time zone rules in "
          "force on that date, not on the day the booking was made."),
        pre("""
let local = DateComponents(year: 2026, month: 9, day: 13, hour: 9)
let zone = TimeZone(identifier: "America/Santiago")!
var calendar = Calendar(identifier: .gregorian)
calendar.timeZone = zone
let instant = calendar.date(from: local)!   // 12:00 UTC after the change, 13:00 before
"""),
        h2("What about times that do not exist?"),
        p("On the night the clocks spring forward, 00:30 does not exist in Santiago. We now move "
          "such occurrences forward by the size of the gap and show a small note on the booking. "
          "Times that happen twice (in autumn) take the first one."),
        h2("Lessons"),
        ul("Never add seconds to get “the same time next week”. Add calendar components.",
           "Store what the human meant (9:00 on Thursdays, in Santiago), not what it happened to be in UTC once.",
           "Our tests all ran in UTC. They now also run in " + c("America/Santiago") + " and " + c("Australia/Lord_Howe") + ", which has a half-hour shift, because of course it does."),
    )),
    ("p11", "fatima", "published", 76, "Feature flags: how to add one and how to remove it", ["how-to", "feature-flags"], body(
        p("We have 61 feature flags. At least 30 of them are always on. This post is about adding "
          "flags, but mostly about removing them."),
        h2("Adding a flag"),
        ol("Add it to " + c("flags.yml") + " with an owner and an <strong>expiry date</strong>. The linter refuses flags without one.",
           "Read it through " + c("Flags.isEnabled(.newCalendar, for: business)") + ", never by string.",
           "Default to off in production and on in development."),
        h2("Removing a flag"),
        p("When a flag has been on for everyone for two weeks, delete it: the flag, the old code "
          "path and the tests for the old path. The flag's owner gets a reminder on the expiry date; "
          "please do not just push the date back."),
        quote("A feature flag is a loan. The interest is every engineer reading both branches."),
    )),
    ("p12", "tomas", "published", 75, "Moderation guidelines for the community forum", ["moderation", "community"], body(
        p("As we open the customer forum next month, here is how the three of us (me, Zoë, Kenji) "
          "will moderate it, and how the same rules apply on this blog."),
        h2("We hide, we rarely delete"),
        p("Hiding keeps the record for the audit trail and lets us undo mistakes. We delete only "
          "what must not be stored at all: personal data posted by mistake, credentials, illegal content."),
        h2("What gets hidden"),
        ul("Spam and advertising.",
           "Personal attacks. Criticise the work, never the person.",
           "Customer data: names with booking details, phone numbers, anything from a support ticket.",
           "Secrets. If you paste a token, we hide it and you rotate it. Both, please."),
        h2("What does not"),
        p("Disagreement, blunt feedback, complaints about the product, and jokes we do not find "
          "funny. A forum where only happy posts survive is an advert, and customers can tell."),
        p("Every moderation action is logged with who did it and why. If you think we got one "
          "wrong, comment on this post or message any of us."),
    )),
    ("p13", "olafur", "published", 73, "Profiling a slow query with EXPLAIN QUERY PLAN", ["sqlite", "performance", "how-to"], body(
        p("The “upcoming bookings” screen took 1.8 seconds for our largest customer. Here is how "
          "I found out why, in case you meet the next one."),
        p("SQLite will tell you how it plans to run a query if you ask "
          + a("https://www.sqlite.org/eqp.html", "EXPLAIN QUERY PLAN") + ":"),
        pre("""
EXPLAIN QUERY PLAN
SELECT * FROM bookings
WHERE business_id = ?1 AND starts_at >= ?2
ORDER BY starts_at
LIMIT 50;
"""),
        p("The answer was " + c("SCAN bookings") + " followed by " + c("USE TEMP B-TREE FOR ORDER BY") + ": "
          "it read every booking of every business and sorted them. We had an index on "
          + c("business_id") + " and one on " + c("starts_at") + ", but SQLite uses one index per table "
          "in a simple query like this, and neither alone helps both the filter and the order."),
        p("A composite index fixes both at once:"),
        pre("CREATE INDEX bookings_business_starts ON bookings(business_id, starts_at);"),
        p("Now the plan reads " + c("SEARCH bookings USING INDEX bookings_business_starts (business_id=? AND starts_at>?)") + " "
          "with no temp B-tree, and the screen loads in 9 ms. Column order matters: equality "
          "columns first, then the range or sort column."),
    )),
    ("p14", "lan", "published", 72, "Unicode normalization gotchas in search", ["unicode", "search"], body(
        p("A customer in Hà Nội searched for her own salon, “Tóc Đẹp”, and got nothing, although "
          "it was right there. The cause is one of my favourite kinds of bug: two strings that look "
          "identical and are not."),
        p("Vietnamese text typed on some keyboards arrives <em>decomposed</em>: “ó” as “o” followed "
          "by a combining acute accent (two code points). The name had been saved from a different "
          "device in <em>composed</em> form (one code point). Byte for byte they differ, so the "
          "search index treated them as different words."),
        p("The fix is to normalize to " + a("https://unicode.org/reports/tr15/", "NFC") + " on the way in, "
          "for stored text and for queries alike:"),
        pre("""
let stored = name.precomposedStringWithCanonicalMapping   // NFC
let query  = input.precomposedStringWithCanonicalMapping
"""),
        p("We also lower-case for comparisons, but only after normalizing, and we never change "
          "what the user typed when we display it. Things we deliberately do <strong>not</strong> do:"),
        ul("Strip accents. “Đẹp” and “Dep” are different words to a Vietnamese reader.",
           "Use NFKC for names. It turns “ﬁ” into “fi”, which is fine, but also full-width digits into ASCII, which surprised our Japanese users."),
        p("Cảm ơn to the customer who sent a screen recording. It made this a one-hour fix."),
    )),
    ("p15", "zoe", "published", 70, "Design review: the new booking calendar", ["design", "calendar"], body(
        p("Slides are in the design folder; this is the written version for those who missed the "
          "review on Tuesday."),
        h2("What we are changing"),
        ul("The week view becomes the default on tablets and desktop; phones keep the day view.",
           "Free slots are shown, not just bookings, so staff can see gaps at a glance.",
           "Colours are per service, not per staff member. Staff get an initial badge instead."),
        h2("What we heard in testing"),
        p("Five salon owners and two physiotherapists tried the prototype. Everyone found free "
          "slots faster. Two people missed the staff filter entirely, so it moves from the menu "
          "to the toolbar."),
        h2("Open questions"),
        ul("Do we need a month view at all? Analytics says 3% of sessions open it.",
           "How do we show double bookings without making them look like a bug?"),
        p("Comments welcome here until Friday."),
    )),
    ("p16", "priya", "draft", 69, "RFC: background job runner", ["rfc", "jobs"], body(
        p("<strong>Draft — not ready for comments yet.</strong>"),
        p("Problem: reminder e-mails, exports and webhooks all run in the request path or in "
          "cron scripts. We want one small job runner with retries, backoff and visibility."),
        h2("Options so far"),
        ol("A jobs table in SQLite, polled by a worker. Simple, transactional with the data, no new infrastructure.",
           "A hosted queue. More moving parts, another bill.",
           "Keep cron, add retries. Cheapest today, worst in a year."),
        p("Leaning towards 1. Need numbers on how many jobs a day we expect."),
    )),
    ("p17", "dmitri", "archived", 68, "Why we still run cron on the old box", ["legacy", "ops"], body(
        p("Because three jobs there talk to the payment provider over a VPN that only that box "
          "has. Moving them means a new VPN contract, which is on the list for Q4."),
        p("<strong>Update:</strong> moved in October, box switched off. Archiving."),
    )),
    ("p18", "margit", "published", 66, "Q3 engineering goals: where we landed", ["planning", "quarterly"], body(
        p("An honest look at the goals we set in June."),
        ul("<strong>Calendar load time under one second for every customer:</strong> done, thanks to Ólafur’s index work. 95th percentile is now 340 ms.",
           "<strong>Retire the Fabric deploys:</strong> done. Every deploy since 12 August came from CI.",
           "<strong>Android crash-free sessions above 99.5%:</strong> missed, 99.2%. Most remaining crashes are one WebView bug on two phone models.",
           "<strong>Accessibility audit of the booking flow:</strong> started, not finished. Fatima’s pass covered the form; the calendar is next.",
           "<strong>Fewer pages at night:</strong> done, from 14 in Q2 to 5."),
        p("Three and a half out of five, with the two misses well understood. Q4 goals are in "
          "draft; expect them in two weeks."),
    )),
    ("p19", "kenji", "published", 65, "Writing a database migration that won’t lock the table", ["how-to", "database", "migrations"], body(
        p("A migration that rewrites a big table holds a write lock for as long as it runs. On "
          "the bookings table that is minutes, and bookings cannot be saved meanwhile. Some rules "
          "that keep migrations fast:"),
        h2("Add, don’t change"),
        p("Adding a nullable column is instant. Changing a column’s type or adding " + c("NOT NULL") + " "
          "with a default rewrites the table. So we do it in steps across releases:"),
        ol("Release 1: add the new column, nullable. Write to both columns.",
           "Backfill in batches of 1,000 rows from a job, not from the migration.",
           "Release 2: read from the new column.",
           "Release 3: drop the old column."),
        h2("Batch the backfill"),
        pre("""
UPDATE bookings
SET duration_minutes = (ends_at - starts_at) / 60
WHERE id IN (
  SELECT id FROM bookings WHERE duration_minutes IS NULL LIMIT 1000
);
"""),
        p("Run it in a loop until it changes zero rows, with a short pause between batches so "
          "other writers get their turn."),
        h2("Test against a copy of production"),
        p("The staging database is tiny. Before merging, run the migration against last night’s "
          "backup and note how long it took in the PR. Anything over a second needs a plan."),
    )),
    ("p20", "sam", "published", 63, "Flaky tests: a field guide", ["testing", "ci"], body(
        p("Our CI failed 11% of runs last month for reasons that went away on retry. I went "
          "through 60 of those failures. Here is what they were, roughly in order of frequency."),
        ol("<strong>Time.</strong> Tests that assumed “now” and “now + 1 ms” differ, or that ran across midnight. Fix: inject a clock.",
           "<strong>Order.</strong> Tests that passed only after another test created some data. Fix: each test makes what it needs.",
           "<strong>Ports.</strong> Two test servers picking the same port. Fix: bind to port 0 and ask the OS.",
           "<strong>Sleeps.</strong> " + c("sleep(1)") + " waiting for something that sometimes takes 1.2 s. Fix: wait for the condition, with a timeout.",
           "<strong>Real network.</strong> A test that called a sandbox API. Fix: it does not any more."),
        p("Retrying hides all of these. From Monday, CI no longer retries failed tests; instead, a "
          "test that fails and then passes on the same commit gets flagged in " + c("#ci-flakes") + " "
          "with its owner tagged."),
    )),
    ("p21", "soren", "published", 62, "Incident 2026-09-19: certificate expiry on the API gateway", ["incident", "postmortem", "tls"], body(
        p("<strong>Impact:</strong> from 06:12 to 07:05 UTC, all mobile apps failed to connect. "
          "The web app kept working through a different certificate. About 3,100 booking attempts failed."),
        h2("Timeline (UTC)"),
        ul("06:12 — the gateway certificate expires. Apps start failing TLS handshakes.",
           "06:19 — first page: API error rate above threshold. I acknowledge.",
           "06:31 — we see it is TLS, not the API. " + c("openssl s_client") + " shows the expiry date.",
           "06:48 — new certificate issued by hand and deployed to the gateway.",
           "07:05 — error rate back to normal after the apps’ connection pools recycle."),
        h2("Why it happened"),
        p("Renewal was automatic, but the renewal job had been failing silently since July, when "
          "the DNS provider changed their API. The expiry alert existed, and had been silenced "
          "in July “for a day” while we debugged something else. Nobody unsilenced it."),
        h2("What we changed"),
        ul("The renewal job now pages when it fails, not only when the certificate is close to expiry.",
           "Silences expire after 24 hours by default and are listed at every on-call hand-over.",
           "A daily check compares the certificate the gateway serves with the one we expect, from outside our network."),
        p("The handbook now has a line about silences. Thanks to Priya for staying on the call, "
          "and to support for handling the angry e-mails with grace."),
    )),
    ("p22", "jose", "draft", 61, "Notes on the Android push notification rewrite", ["android", "notifications"], body(
        p("Collecting notes before I write this up properly."),
        ul("The old code registers for push on every app start. That is ~40k needless calls a day.",
           "Notification channels: we have one, Android wants several (reminders, changes, marketing).",
           "Need to check what happens to tokens after a restore from backup."),
    )),
    ("p23", "gosia", "published", 59, "Keyset pagination, or why page 4000 was slow", ["database", "performance", "api"], body(
        p("Our booking history API used " + c("LIMIT 50 OFFSET n") + ". For a business with "
          "200,000 bookings, page 4000 meant reading and throwing away 199,950 rows before "
          "returning 50. It took 1.4 seconds, and a partner integration fetched every page every night."),
        p("Keyset pagination asks for “the next 50 after the last one I saw” instead:"),
        pre("""
SELECT id, starts_at, customer_name
FROM bookings
WHERE business_id = ?1
  AND (starts_at, id) < (?2, ?3)   -- the last row of the previous page
ORDER BY starts_at DESC, id DESC
LIMIT 50;
"""),
        p("With an index on " + c("(business_id, starts_at, id)") + " every page costs the same: "
          "about 2 ms, whether it is page 1 or page 4000."),
        h2("The API side"),
        p("The response carries an opaque " + c("nextCursor") + " (the last row’s sort key, "
          "base64-encoded) instead of a page number. Clients pass it back to get the next page. "
          "You lose “jump to page 17”, which, it turns out, nobody used."),
        p("One subtlety: the " + c("id") + " in the sort key matters. Without it, two bookings at "
          "the same minute could be skipped or repeated at a page boundary."),
    )),
    ("p24", "fatima", "published", 58, "Accessibility pass on the booking form", ["accessibility", "frontend"], body(
        p("I spent a week with VoiceOver, TalkBack and a keyboard on the booking form. The form "
          "looked fine and was, for some people, unusable. What I fixed:"),
        ul("Every field now has a real label, not just placeholder text that disappears when you type.",
           "Errors are announced when they appear and linked to their field, instead of only turning the border red.",
           "The time picker can be used with arrow keys; before, it needed a mouse.",
           "Contrast of the grey hint text went from 2.9:1 to 4.7:1, which passes " + a("https://www.w3.org/WAI/WCAG22/quickref/", "WCAG 2.2") + " AA.",
           "Focus no longer jumps to the top of the page after choosing a service."),
        p("The surprising one: our “Book now” button was a " + c("<div>") + " with a click handler. "
          "Screen readers did not know it was a button at all. It is a " + c("<button>") + " now."),
        p("Next: the calendar, which is harder. If you use a screen reader yourself and would "
          "test with me, I would love an hour of your time."),
    )),
    ("p25", "misaki", "published", 56, "リリースノート 2.4 🚀", ["release", "japanese", "tidewater"], body(
        p("Tidewater 2.4 を本日リリースしました！主な変更点をまとめます。"),
        ul("新しい予約カレンダー（週表示・空き枠の表示）",
           "日本語とベトナム語の翻訳を改善しました",
           "予約フォームのアクセシビリティを改善しました（Fatimaさんありがとうございます）",
           "夏時間の切り替え時に定期予約がずれる不具合を修正しました"),
        p("英語版の詳しいリリースノートはJoséさんの投稿をご覧ください。"),
    )),
    ("p26", "jose", "published", 56, "Tidewater 2.4 release notes", ["release", "tidewater"], body(
        p("2.4 is live on iOS, Android and the web. It is our biggest release this year."),
        h2("New"),
        ul("<strong>The new calendar.</strong> Week view by default on larger screens, free slots visible, colour by service.",
           "<strong>Staff filter</strong> in the toolbar, where people actually look for it.",
           "<strong>Vietnamese</strong> translation, and a much better Japanese one thanks to Misaki."),
        h2("Fixed"),
        ul("Recurring bookings no longer shift by an hour when daylight saving time changes.",
           "Search finds names regardless of how the accents were typed.",
           "The booking form works with screen readers and a keyboard."),
        h2("Known issues"),
        ul("On two older Samsung models the calendar may flicker when scrolling fast. A fix is in review."),
        p("Please send any odd reports my way. I am watching the crash dashboard all week."),
    )),
    ("p27", "olafur", "draft", 55, "Half-baked idea: offline mode for the mobile app", ["mobile", "ideas"], body(
        p("Physios often work in basements with no signal. What if the app kept today’s bookings "
          "offline and synced changes later? Conflicts are the hard part. Thinking out loud here before I bring it to planning."),
    )),
    ("p28", "lan", "published", 54, "How to rotate API keys without downtime", ["how-to", "security", "api"], body(
        p("Partners connect to our API with keys. When a key leaks, or just gets old, it has to "
          "be replaced without breaking their integration. The process:"),
        ol("Create a second key for the partner. Both keys work from now on.",
           "Send the new key through the partner portal, never by e-mail.",
           "Watch the key’s “last used” column. When the old key has not been used for 48 hours, the partner has switched.",
           "Revoke the old key. Requests with it now get a 401 with a message that says the key was rotated.",
           "Note the rotation in the partner’s record."),
        p("If a key has <strong>leaked</strong>, skip the waiting: revoke at once, then call the "
          "partner. A few hours of a broken integration is better than someone else reading bookings."),
        p("Keys are stored hashed, like passwords, so we cannot show an old key again. If a "
          "partner lost theirs, the answer is always a new one."),
    )),
    ("p29", "tomas", "published", 52, "Password hashing: what argon2id parameters we use and why", ["security", "passwords"], body(
        p("Someone asked in chat why login takes about 60 ms. That is on purpose. A short tour:"),
        p("We hash passwords with argon2id, using the "
          + a("https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html", "OWASP recommendation") + " "
          "as the floor: 19 MiB of memory, 2 iterations, 1 lane. The memory cost is the point: it "
          "makes guessing on graphics cards expensive, because each guess needs its own 19 MiB."),
        p("The parameters are stored inside each hash, in the PHC string format:"),
        pre("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$..."),
        p("So when we raise them, old hashes still verify, and each one is re-hashed with the new "
          "parameters the next time its owner logs in. No mass reset needed."),
        h2("Why not make it slower still?"),
        p("Because login is also a denial-of-service target. At 60 ms and 19 MiB per attempt, "
          "a burst of 100 concurrent logins needs about 2 GiB of memory. The rate limit and the "
          "per-account throttling keep it well below that."),
    )),
    ("p30", "zoe", "archived", 51, "Old style guide for screenshots", ["docs", "legacy"], body(
        p("Replaced by the design system page. In short, for the record: screenshots at 2×, "
          "device frames off, demo data only (never a real customer), and the blue highlight for callouts."),
    )),
    ("p31", "zoe", "published", 50, "Offsite recap: three days in Porto", ["team", "offsite"], body(
        p("Fourteen people, three days, one very steep hill. What we did, for those who want to "
          "remember and those who could not come:"),
        ul("<strong>Day 1:</strong> the year in review, and a surprisingly emotional retro on the September outage.",
           "<strong>Day 2:</strong> planning Q4 in small groups. The offline-mode idea got more votes than expected.",
           "<strong>Day 3:</strong> a hack day. Winners: Lan and Sam’s “explain this booking” button for support."),
        p("Thanks to Margit for organising, and to the restaurant that let us stay until they had "
          "stacked every chair. Obrigada, Porto. 🇵🇹"),
    )),
    ("p32", "kenji", "draft", 49, "Code owners file: proposal", ["process", "rfc"], body(
        p("Idea: a CODEOWNERS file so that changes to the billing and auth code always get a "
          "review from someone who knows them. Worry: it turns into gatekeeping. Need to write up "
          "how we avoid that before sharing."),
    )),
    ("p33", "sam", "published", 48, "Ten things I wish I’d known about our CI", ["ci", "onboarding"], body(
        p("Three months in, a list for the next person."),
        ol("Pushing a branch whose name starts with " + c("wip/") + " skips the slow jobs.",
           c("make ci") + " runs exactly what CI runs, locally, in the same container.",
           "The test database is created fresh for each job; you cannot break it for others.",
           "Artifacts are kept for seven days. Download the screenshots of a failed UI test from there.",
           "The " + c("#ci-flakes") + " channel is not a shame list. Everybody is in it.",
           "If a job hangs, it is killed after 30 minutes and you get the last 200 lines of output.",
           "Caches are keyed on the lock file. Changing dependencies makes the next run slow; that is normal.",
           "You can re-run a single job from the PR page instead of the whole pipeline.",
           "Release builds are signed on a separate runner that only the release bot can trigger.",
           "Kenji knows everything else. Bring coffee."),
    )),
    ("p34", "soren", "published", 46, "Tidewater 2.4.1 hotfix", ["release", "hotfix"], body(
        p("2.4.1 fixes the calendar flicker on older Samsung phones and a crash when a booking "
          "had no staff member assigned. Rolled out to 100% of Android users as of this afternoon. "
          "iOS was not affected."),
    )),
    ("p35", "priya", "published", 45, "Security review checklist for new endpoints", ["security", "checklist", "api"], body(
        p("Before a new API endpoint ships, the author goes through this list in the PR "
          "description. The reviewer checks the answers, not just the code."),
        h2("Access"),
        ul("Which permission does it require? Is it checked in the service, not only in the route?",
           "Can a user reach another business’s data by changing an id in the URL? Write a test that tries.",
           "Does it behave the same for “not found” and “not yours”? It should: both are 404."),
        h2("Input"),
        ul("Every field validated, with limits on length and count.",
           "Rich text goes through the sanitizer. No exceptions for “internal” fields.",
           "Unknown fields are dropped, not stored."),
        h2("Output"),
        ul("No password hashes, tokens or internal ids of other businesses in the response.",
           "Errors say what was wrong with the input, never what went wrong inside (no SQL, no stack traces)."),
        h2("Abuse"),
        ul("Is it rate limited? Does it need a stricter limit than the default (login, password reset, anything that sends e-mail)?",
           "Is the action recorded in the audit log with who did it?"),
        p("The full reasoning is in the " + a("https://owasp.org/www-project-api-security/", "OWASP API Security Top 10") + ", "
          "which is worth an evening of your time."),
    )),
    ("p36", "gosia", "draft", 44, "Draft: moving search to FTS5", ["search", "sqlite", "rfc"], body(
        p("Our search is " + c("LIKE '%term%'") + " on three columns. It is slow and it cannot rank. "
          "SQLite’s FTS5 would give us ranking, prefix queries and proper tokenization."),
        h2("Questions to answer before this is an RFC"),
        ul("Which tokenizer handles Vietnamese and Japanese acceptably? unicode61 splits Japanese badly.",
           "Keep the index in sync with triggers, or from the application?",
           "How big does the index get for our largest customer?"),
    )),
    ("p37", "fatima", "published", 42, "Dark mode is here (for real this time) 🌙", ["frontend", "design"], body(
        p("The web app now follows your system’s dark mode. This is the third attempt; the first "
          "two died on the calendar, which had 140 hard-coded colours."),
        p("What made it possible this time is that Zoë moved every colour into design tokens. "
          "Dark mode is now a second set of values for the same tokens, and the calendar did not "
          "need a single change."),
        p("Found something unreadable in the dark? Screenshot it in " + c("#design") + ". There will be some."),
    )),
    ("p38", "dmitri", "archived", 41, "Handover notes: billing integration", ["billing", "handover"], body(
        p("My last week, so here is everything about billing that lives only in my head."),
        h2("How it works"),
        ul("Subscriptions live at the payment provider. We keep a copy of the plan and status, updated by webhooks.",
           "Webhooks are verified by signature, then queued. The handler is idempotent: the same event twice is harmless.",
           "The nightly reconciliation job compares our copy with the provider’s and reports differences in " + c("#billing") + "."),
        h2("Things that will bite you"),
        ul("The provider sends events out of order. Always compare the event’s timestamp with what we have.",
           "Test mode and live mode have different webhook secrets. Both are in the vault.",
           "A handful of customers from 2022 are on a plan that no longer exists. Do not migrate them without asking Margit."),
        p("Priya has the admin access now. It has been a pleasure. Do svidaniya! 👋"),
        p("<em>Archived by Priya: billing docs now live in the billing README.</em>"),
    )),
    ("p39", "olafur", "published", 40, "Backups: how they work and how to restore one", ["ops", "backups", "how-to"], body(
        p("We back up the database every hour, and we test a restore every week. Both matter; only "
          "the second one lets you sleep."),
        h2("How backups are made"),
        p("The database is SQLite in WAL mode. Copying the file while it is being written can give "
          "you a broken copy, so we use SQLite’s " + a("https://www.sqlite.org/backup.html", "online backup API") + ", "
          "which produces a consistent snapshot while writes go on:"),
        pre("steward backup --out /backups/steward-$(date -u +%Y%m%dT%H%MZ).sqlite --keep 72"),
        p("That keeps three days of hourly copies locally. A second job ships the newest one off "
          "the machine every six hours, encrypted."),
        h2("How to restore"),
        ol("Stop the service: " + c("systemctl stop steward") + ".",
           "Move the current database aside. Do not delete it; you may want something from it.",
           "Copy the backup into place and check it: " + c("sqlite3 steward.sqlite 'PRAGMA integrity_check;'") + " should print " + c("ok") + ".",
           "Start the service and check " + c("/healthz") + ".",
           "Tell support which time the data is from. Anything after it is lost and they will hear about it."),
        p("The weekly restore test does exactly these steps on a spare machine and posts the "
          "result in " + c("#ops-noise") + ". If it ever says anything but “ok”, that is a page."),
    )),
    ("p40", "lan", "published", 38, "Reading our logs with jq", ["logging", "how-to"], body(
        p("Our logs are JSON lines: one object per line. That makes them easy to query with "
          + a("https://jqlang.github.io/jq/manual/", "jq") + ". Some recipes I use every week:"),
        p("All errors from the last log file:"),
        pre("jq -c 'select(.level == \"error\")' logs/steward.log"),
        p("The ten slowest requests:"),
        pre("jq -s 'sort_by(-.durationMs) | .[:10] | .[] | {path, status, durationMs}' logs/steward.log"),
        p("Requests per status code:"),
        pre("jq -r '.status // empty' logs/steward.log | sort | uniq -c | sort -rn"),
        p("Everything one request did, by its request id:"),
        pre("grep 'req-7f3a' logs/steward.log | jq ."),
        p("Tip: " + c("jq -c") + " keeps one object per line, which pipes nicely into " + c("grep") + " and " + c("wc -l") + "."),
    )),
    ("p41", "jose", "published", 37, "What we learned shipping the waitlist feature", ["retrospective", "product"], body(
        p("The waitlist shipped three weeks late. The retro was kind, and useful. The main points:"),
        ul("<strong>We underestimated notifications.</strong> “Tell the next person when a slot frees up” sounds like one e-mail. It is a queue, a timeout, a fallback, and a race when two slots free up at once.",
           "<strong>The design changed after development started.</strong> Twice. Next time we test the prototype with customers before writing code, not after.",
           "<strong>Feature flags saved the launch.</strong> We turned it on for ten businesses first and found the race before everyone else did."),
        p("Early numbers: 12% of freed slots are now filled from the waitlist within an hour. "
          "Customers like it more than we expected."),
    )),
    ("p42", "margit", "draft", 36, "Hiring plan for Q1", ["hiring", "planning"], body(
        p("Not for publishing yet; numbers depend on the budget meeting."),
        ul("One backend engineer, ideally with payments experience.",
           "One mobile engineer (Android first).",
           "Maybe a part-time technical writer? The blog is proving there is demand."),
    )),
    ("p43", "misaki", "published", 35, "Translating the app: a guide for contributors", ["i18n", "how-to"], body(
        p("We now ship in English, Japanese, Vietnamese, Norwegian and Spanish. If you speak "
          "another language and want to help, this is how it works."),
        h2("Where the strings live"),
        p("All texts are in " + c("locales/<language>.json") + ". Never edit the English file to "
          "change a translation, and never translate a key, only its value."),
        h2("Rules of thumb"),
        ul("Keep placeholders exactly as they are: " + c("{count} bookings") + " becomes " + c("{count} 件の予約") + ", not " + c("{件数} 件の予約") + ".",
           "Plural rules differ by language. Use the plural forms in the file instead of building sentences from pieces.",
           "Dates and times are formatted by the app from the user’s locale. Do not write them into strings.",
           "If a sentence does not fit on a phone screen, tell us; do not abbreviate until it fits."),
        p("Thank you to Lan for Vietnamese, José for Spanish and Søren for Norwegian. "
          "ありがとうございます！"),
    )),
    ("p44", "tomas", "published", 34, "🔥 Incident 2026-10-14: login storm after the cache flush", ["incident", "postmortem", "auth"], body(
        p("<strong>Impact:</strong> from 14:02 to 14:40 UTC, about a third of login attempts failed "
          "or took more than ten seconds. No data was lost and no account was compromised."),
        h2("What happened"),
        p("A routine deploy flushed the session cache. Every signed-in mobile user was sent back to "
          "the login screen at once, and the apps’ automatic retry turned that into around 900 logins "
          "a second. Each login costs 19 MiB of memory for the password hash, by design. The API "
          "servers ran out of memory and restarted, which logged everyone out again."),
        h2("Timeline (UTC)"),
        ul("14:02 — deploy finishes, cache flushed.",
           "14:04 — memory alerts on both API servers; first restarts.",
           "14:11 — we suspect the deploy and roll back. It does not help: the sessions are already gone.",
           "14:19 — Priya spots the login rate on the dashboard. We lower the per-IP login limit and scale up.",
           "14:40 — login rate back to normal; error rate follows."),
        h2("What we changed"),
        ul("Deploys no longer flush the session cache. Refresh tokens live in the database and survive deploys.",
           "Password hashing runs through a small bounded pool, so a login burst queues instead of exhausting memory.",
           "The mobile apps back off exponentially after a failed login, with jitter, instead of retrying every second.",
           "A new alert on login rate, separate from error rate."),
        quote("The hashing cost that protects passwords is also a cost we pay. Plan capacity for the bad day, not the average one."),
        p("Thank you to everyone who jumped in, and to our customers for their patience."),
    )),
    ("p45", "zoe", "published", 33, "Small UI details that made a big difference", ["design", "ux"], body(
        p("Not every improvement needs a project. Some small ones from the last month, with the "
          "numbers where we have them:"),
        ul("The “Cancel booking” button now says who it will notify. Accidental cancellations fell by half.",
           "Times show the business’s time zone when it differs from yours. Support tickets about “wrong times” went from weekly to none.",
           "The search box remembers the last three searches. Nobody asked for it; everybody uses it.",
           "Empty states explain what would appear there and how to make it appear, instead of “No data”."),
        p("If you spot one of these in the wild, a paper cut we could fix in an afternoon, tag it "
          + c("papercut") + " in the tracker."),
    )),
    ("p46", "kenji", "published", 31, "Type-safe IDs in Swift: a short note", ["swift", "engineering-notes"], body(
        p("We passed a booking id where a customer id was expected, and the compiler was happy "
          "because both were " + c("Int64") + ". A tiny generic wrapper makes that mistake a compile error:"),
        pre("""
struct ID<Entity>: Hashable, Codable, Sendable {
    let rawValue: Int64
}

typealias BookingID = ID<Booking>
typealias CustomerID = ID<Customer>

func cancel(_ booking: BookingID) { /* ... */ }

let customer = CustomerID(rawValue: 42)
cancel(customer)   // error: cannot convert value of type 'CustomerID' to 'BookingID'
"""),
        p("It costs nothing at run time; the wrapper has the same layout as an " + c("Int64") + ". "
          "We are adopting it file by file as we touch the code, not in one big bang."),
    )),
    ("p47", "sam", "draft", 30, "Draft: monorepo or not?", ["rfc", "tooling"], body(
        p("Web, iOS, Android and the API live in four repositories. Changes that span them need "
          "four PRs and careful merging. Pros and cons of one repository, collected so far:"),
        ul("Pro: one PR for a cross-cutting change; shared CI config.",
           "Con: CI has to be smart about what to build; history gets noisy.",
           "Unknown: how the mobile release tooling copes."),
    )),
    ("p48", "soren", "archived", 29, "Grafana dashboards (old)", ["monitoring", "legacy"], body(
        p("The dashboards listed here were replaced by the new overview board. Links removed to "
          "avoid confusion; ask me if you need one of the old ones back."),
    )),
    ("p49", "priya", "published", 27, "Rate limiting: the numbers and the reasoning", ["security", "api", "rate-limiting"], body(
        p("After the October login storm, people asked how our limits are set. Here are the "
          "current numbers and why."),
        ul("<strong>600 requests a minute per IP</strong> for the API in general. Our busiest legitimate client, a partner sync, peaks at about 200.",
           "<strong>5 failed logins per email in 15 minutes</strong>, then a pause. The count is per submitted email whether or not the account exists, so the limit reveals nothing about who has an account.",
           "<strong>50 failed logins per IP in 15 minutes</strong>, ten times the per-email limit, for offices where many people share one address."),
        p("Throttled requests get a 429 with a " + c("Retry-After") + " header, and the apps honour it. "
          "Health checks and metrics are not limited, so monitoring keeps working during an attack."),
        p("The numbers are configuration, not code (" + c("STEWARD_RATE_LIMIT") + ", "
          + c("STEWARD_LOGIN_MAX_FAILURES") + "), so we can change them during an incident without a deploy."),
    )),
    ("p50", "gosia", "published", 26, "SQLite WAL mode in production: six months in", ["sqlite", "database"], body(
        p("Half a year ago we switched the database to "
          + a("https://www.sqlite.org/wal.html", "write-ahead logging") + ". A look back."),
        h2("What got better"),
        ul("Readers no longer block the writer, and the writer no longer blocks readers. The p99 of read requests during the nightly export fell from 800 ms to 30 ms.",
           "Writes are faster, because a commit appends to the log instead of rewriting pages in place."),
        h2("What we had to learn"),
        ul("The " + c("-wal") + " and " + c("-shm") + " files belong to the database. Copying only the main file is not a backup; use the backup API.",
           "Checkpoints: the WAL file grows until it is checkpointed. A long-running reader can stop that, and we once saw it reach 4 GB.",
           "Set a busy timeout. Without one, a writer that finds the database locked fails at once instead of waiting a few milliseconds."),
        pre("""
PRAGMA journal_mode = WAL;
PRAGMA busy_timeout = 5000;
PRAGMA foreign_keys = ON;
"""),
        p("Verdict: we would do it again, and sooner."),
    )),
    ("p51", "fatima", "draft", 24, "Design tokens proposal", ["design", "frontend", "rfc"], body(
        p("Following the dark mode work: a proposal to share the same tokens between web and the "
          "mobile apps, generated from one file. Sketch of the format and the build step to follow."),
    )),
    ("p52", "olafur", "published", 23, "Disk full on the build runner: a short write-up", ["incident", "ci"], body(
        p("On Tuesday every CI job failed for about an hour with “No space left on device”. The "
          "runner’s Docker cache had grown to 180 GB because nothing ever pruned it."),
        p("Fixed by pruning, and now a nightly " + c("docker system prune --filter until=72h") + " "
          "keeps it in check. There is also an alert at 80% disk use, which we should have had from the start."),
        p("No customer impact; a lot of developer grumbling, which was fair."),
    )),
    ("p53", "lan", "draft", 21, "Notes: evaluating error trackers", ["tooling", "notes"], body(
        p("Comparing three hosted error trackers for the mobile apps. Criteria: symbolication, data "
          "residency in the EU, price at our volume, and whether it scrubs personal data by default."),
    )),
    ("p54", "jose", "published", 19, "Tidewater 2.5 beta: call for testers", ["release", "beta"], body(
        p("2.5 is in beta: the waitlist gets smarter, and staff can block time for breaks directly "
          "in the calendar. If you would like to test on your own phone, add yourself to the "
          "beta list in " + c("#releases") + " and I will send an invite today."),
    )),
    ("p55", "margit", "archived", 17, "Office Wi-Fi outage on Thursday (resolved)", ["office", "announcement"], body(
        p("The office Wi-Fi will be down on Thursday from 8:00 to 10:00 while the new access points "
          "are installed. Work from home or bring a cable. <strong>Update:</strong> done, and the "
          "meeting room finally has signal."),
    )),
    ("p56", "tomas", "draft", 15, "On-call compensation: proposal", ["on-call", "rfc"], body(
        p("Proposal to change on-call pay from a flat weekly amount to a weekly amount plus a fixed "
          "sum per night page. Want to run numbers from the last two quarters before sharing."),
    )),
    ("p57", "kenji", "published", 12, "Weekly engineering digest #47", ["digest"], body(
        p("What happened this week, in one screen:"),
        ul("2.5 beta has 38 testers and one crash, fixed.",
           "The calendar’s screen reader support is in review (thanks, Fatima).",
           "Bookings API p95 is down to 41 ms after Gosia’s index change.",
           "We said goodbye to the last Python 2 script. Nobody cried."),
        p("Have something for next week’s digest? Reply here."),
    )),
    ("p58", "misaki", "draft", 9, "アクセシビリティ勉強会メモ", ["accessibility", "japanese"], body(
        p("先週の勉強会のメモです。まだ下書きです。"),
        ul("スクリーンリーダーで予約フォームを実際に使ってみた",
           "色だけで情報を伝えない",
           "フォーカスの順番を確認する"),
    )),
    ("p59", "zoe", "draft", 6, "Empty states copy: draft", ["ux", "copy"], body(
        p("Draft copy for the empty states, for review with support before it ships."),
        ul("No bookings today: “A quiet day. New bookings will show up here as they come in.”",
           "No customers yet: “Customers appear here after their first booking. You can also add one yourself.”"),
    )),
    ("p60", "margit", "published", 3, "Holiday schedule and code freeze 2026 🎄", ["announcement", "release"], body(
        p("The holidays are coming, so some dates to put in your calendar:"),
        ul("<strong>Code freeze:</strong> 18 December to 4 January. Only fixes for real incidents go out.",
           "<strong>Office closed:</strong> 24 December to 1 January.",
           "<strong>On-call:</strong> the schedule for the holidays is up. Holiday shifts count double in time off."),
        p("Thank you all for a strong year. Rest well. — Margit"),
    )),
]

# ---------------------------------------------------------------------------------------
# Comments, by post, in the order they were written. Each is (author, text), optionally
# followed by reply_to=<index of the comment it answers, within the same post's list> and
# hidden=True for the ones a moderator hid (and why, in HIDDEN_WHY, for the README).
# ---------------------------------------------------------------------------------------


def cm(author: str, text: str, reply_to: int | None = None, hidden: bool = False) -> tuple:
    return (author, text, reply_to, hidden)


THREADS: dict[str, list[tuple]] = {
    "p01": [
        cm("priya", "Finally. The wiki search and I are no longer on speaking terms."),
        cm("sam", "Is there an RSS feed? I read everything in my feed reader."),
        cm("margit", "Not yet, but it is on the list. Ask me again in a month.", reply_to=1),
        cm("dmitri", "Nice. I will move my deploy notes here before they get lost."),
    ],
    "p02": [
        cm("soren", "Thanks for keeping this. I had to explain the symlink rollback to an auditor last year."),
    ],
    "p03": [
        cm("sam", "First on-call week for me next Monday. Is there a checklist for the hand-over, or do we just talk?"),
        cm("priya", "Just talk, but there is a short template in the on-call channel topic. Use it the first few times.", reply_to=0),
        cm("kenji", "The bit about not suffering alone at 4 a.m. should be printed on a mug."),
        cm("olafur", "Could the secondary also get the page after 15 minutes automatically? I missed one in the shower once."),
        cm("priya", "They already do. The escalation is automatic; it is in the first step but I will make it clearer.", reply_to=3),
        cm("olafur", "Ah, I missed that. Thanks!", reply_to=4),
        cm("fatima", "Does the time off in lieu expire?"),
        cm("margit", "It does not, but please take it within the quarter. Hoarding it defeats the point.", reply_to=6),
    ],
    "p04": [
        cm("sam", "The “nit:” prefix has changed my life. I used to agonise over whether a comment was blocking."),
        cm("jose", "Any rule of thumb for how long to wait before pinging a reviewer?"),
        cm("kenji", "One working day, then a friendly ping. Two, and ask someone else.", reply_to=1),
    ],
    "p05": [
        cm("lan", "Worked on my Debian laptop in 14 minutes. The bootstrap script is lovely."),
        cm("fatima", "On an M3 Mac step 1 failed with a Homebrew permission error. Running <code>brew doctor</code> first fixed it."),
        cm("soren", "Good catch, I will add that as a note.", reply_to=1),
        cm("misaki", "I translated this into Japanese for the new hires, I hope that is OK!"),
        cm("soren", "More than OK. Thank you!", reply_to=3),
    ],
    "p07": [
        cm("kenji", "<code>git bisect run</code> is the most underrated git command. Great write-up."),
        cm("olafur", "Did the script have to build the whole app each step? That is the slow part for us."),
        cm("sam", "Only the exporter module, about 20 seconds per step. For the app it would be painful, agreed.", reply_to=1),
    ],
    "p08": [
        cm("lan", "ありがとう！ I am learning Japanese and this was good practice."),
    ],
    "p09": [
        cm("margit", "Congratulations, everyone. The calendar speed-up is very noticeable."),
        cm("gosia", "Sorry again for the late fix. The weekly repeat is haunted."),
        cm("jose", "No apology needed, the fix was perfect.", reply_to=1),
    ],
    "p10": [
        cm("kenji", "This is the best explanation of the DST trap I have read. Sharing it with the mobile team."),
        cm("olafur", "Lord Howe with its 30-minute shift is a wonderful test case. Evil, but wonderful."),
        cm("lan", "Do we handle businesses that move to another time zone? A salon chain opening in a new city, for example."),
        cm("gosia", "Each location has its own zone, so a new city is a new location. Moving an existing location is not supported yet; the UI says so.", reply_to=2),
        cm("sam", "Reading this made me check my own code. Found the same bug in the reminder scheduler. 🙃"),
        cm("gosia", "Ha! Send me the PR, happy to review.", reply_to=4),
    ],
    "p11": [
        cm("kenji", "Can the linter also fail when a flag is past its expiry date?"),
        cm("fatima", "It warns now. Failing would block unrelated PRs, so it pings the owner instead.", reply_to=0),
        cm("jose", "The waitlist flag is mine and I promise to remove it next week."),
        cm("fatima", "Holding you to that. 😄", reply_to=2),
    ],
    "p12": [
        cm("zoe", "Thanks for writing this down. Hiding rather than deleting feels right."),
        cm("misaki", "Will the guidelines be translated for the Japanese forum section?"),
        cm("tomas", "Yes, if you can help with it. I would rather have a careful translation than a quick one.", reply_to=1),
        cm("misaki", "Happy to. I will send a draft this week.", reply_to=2),
        cm("olafur", "BEST DEALS on salon furniture!!! visit our shop for 70% off today only", hidden=True),
    ],
    "p13": [
        cm("gosia", "Nice. Equality columns first, then range, is the rule I wish someone had told me years ago."),
        cm("kenji", "Did you check the write cost of the new index? The bookings table gets a lot of inserts."),
        cm("olafur", "Measured it: inserts went from 0.21 ms to 0.24 ms. Worth it.", reply_to=1),
        cm("sam", "How did you find the slow query in the first place? Logs?"),
        cm("olafur", "The request log has a duration per request; sorting by it pointed straight at the screen.", reply_to=3),
    ],
    "p14": [
        cm("gosia", "Ugh, this one is sneaky. Does the same apply to the full-text index?"),
        cm("lan", "Yes, the index gets the normalized text too. Queries go through the same function.", reply_to=0),
        cm("misaki", "Japanese has the same issue with half-width and full-width katakana (ｶ vs カ). NFC does not touch those, right?"),
        cm("lan", "Right, that is NFKC territory. For search we might fold width separately, but never for stored names.", reply_to=2),
        cm("misaki", "Makes sense. Happy to test whatever you try.", reply_to=3),
    ],
    "p15": [
        cm("fatima", "Colour by service is great, but please make sure services are distinguishable without colour too. A pattern or a label?"),
        cm("zoe", "Yes, the service name is always on the booking. The colour is a hint, never the only signal.", reply_to=0),
        cm("jose", "Month view: a few big customers use it for planning holidays. Maybe keep it, but hide it in a menu?"),
        cm("zoe", "That is where I am leaning too.", reply_to=2),
    ],
    "p18": [
        cm("olafur", "Thanks for the shout-out. The index work was fun."),
        cm("sam", "Is the WebView crash something we can fix, or do we wait for the vendor?"),
        cm("jose", "We can work around it by not using WebView for the receipt screen. Planned for 2.5.", reply_to=1),
    ],
    "p19": [
        cm("gosia", "The “test against last night’s backup” step has saved me twice now."),
        cm("sam", "What pause do you use between batches?"),
        cm("kenji", "50 ms. Enough for waiting writers to get in, short enough that a million rows finish in a few minutes.", reply_to=1),
        cm("olafur", "One more: put the backfill behind a flag so you can stop it without a deploy."),
        cm("kenji", "Good one, adding it.", reply_to=3),
    ],
    "p20": [
        cm("kenji", "Thank you for doing the boring work of actually classifying them."),
        cm("jose", "Guilty of #3. Fixed in the notification tests."),
        cm("fatima", "Will the flake bot tag the last person who touched the test, or the code owner?"),
        cm("sam", "The owner from the test file header, falling back to the last author.", reply_to=2),
    ],
    "p21": [
        cm("margit", "Thank you for the clear write-up and for the fast fix on a Saturday morning."),
        cm("kenji", "The silenced alert is such a classic. Silences that expire by default are the right fix."),
        cm("priya", "For the record: Søren had the new certificate out in 17 minutes from diagnosis. That is fast."),
        cm("olafur", "Could the outside check also cover the web certificate? Different provider, same risk."),
        cm("soren", "It does, I added both. Should have said so.", reply_to=3),
        cm("sam", "What did support tell customers?"),
        cm("soren", "A status page update at 06:40 and an e-mail to the 40 businesses with the most failed bookings.", reply_to=5),
        cm("zoe", "Here is the customer's phone number and booking from the ticket so you can call her back: Maria, +34 6xx xxx xxx, Tuesday 10:00", hidden=True),
        cm("tomas", "Hid a comment that had a customer’s details in it. Please keep those in the support ticket."),
    ],
    "p23": [
        cm("olafur", "The tie-breaker on id is the part everyone forgets. Nice that you called it out."),
        cm("sam", "What does the partner integration do with the cursor? Did they have to change their code?"),
        cm("gosia", "They did, a small change. We kept offset paging on the old endpoint for 60 days to give them time.", reply_to=1),
        cm("priya", "Is the cursor signed? A client could craft one."),
        cm("gosia", "Not signed, but it is only a position. A crafted cursor can only point at rows the caller could already see.", reply_to=3),
        cm("priya", "Fair enough, thanks.", reply_to=4),
    ],
    "p24": [
        cm("zoe", "The div button. Oh no. Thank you for finding it."),
        cm("margit", "This is great work, Fatima. Can we make this checklist part of the review for every form?"),
        cm("fatima", "Yes! I will turn it into a short checklist in the PR template.", reply_to=1),
        cm("lan", "I use VoiceOver sometimes for my eyes in the evening. Happy to test the calendar with you."),
        cm("fatima", "Wonderful, I will send an invite.", reply_to=3),
    ],
    "p25": [
        cm("lan", "おめでとうございます！🎉"),
        cm("jose", "Gracias for the Japanese notes, Misaki!"),
        cm("kenji", "読みやすいです。ありがとう。"),
    ],
    "p26": [
        cm("margit", "Huge release. Congratulations to everyone who worked on it."),
        cm("soren", "The flicker on Samsung is reproducible on my old S10. I can help test the fix."),
        cm("jose", "Please do! I will send you a build tonight.", reply_to=1),
        cm("fatima", "So happy to see the accessibility fixes in the notes."),
        cm("sam", "Crash dashboard looks calm so far. 🤞"),
        cm("olafur", "Any numbers on calendar load time after the release?"),
        cm("jose", "Median 180 ms, p95 340 ms. The index work paid off.", reply_to=5),
        cm("gosia", "The time zone fix is in here! Nice."),
        cm("gosia", "The time zone fix is in here! Nice.", hidden=True),
    ],
    "p28": [
        cm("priya", "Good process. One addition: when a key leaks, also check the audit log for what it was used for."),
        cm("lan", "Added, thanks.", reply_to=0),
        cm("sam", "Here is the staging key so you can test: eyJhbGciOiJIUzI1NiJ9.… oops, wrong window", hidden=True),
        cm("tomas", "Hid a comment that contained a token. Sam, please rotate it."),
        cm("sam", "Rotated. Sorry, and thanks for the fast hide.", reply_to=3),
    ],
    "p29": [
        cm("priya", "Good explanation. Worth adding that the parameters are configuration, so we can raise them without a deploy."),
        cm("tomas", "Added a note, thanks.", reply_to=0),
        cm("sam", "How long would a login take with 64 MiB instead?"),
        cm("tomas", "About three times as long on our servers. The bigger cost is memory under load, which the October incident showed.", reply_to=2),
    ],
    "p31": [
        cm("sam", "Best offsite yet. The hack day format should stay."),
        cm("lan", "The custard tarts. I am still thinking about the custard tarts."),
        cm("margit", "Thanks for the kind words. Same time next year, maybe somewhere flatter.", reply_to=0),
    ],
    "p33": [
        cm("kenji", "Number 10 is accurate. Coffee is accepted, tea is preferred."),
        cm("olafur", "I did not know about the <code>wip/</code> prefix. This saves me about an hour a day."),
        cm("jose", "Can you add how to see which cache key a job used? Took me ages to find."),
        cm("sam", "It is in the first lines of the job log. I will add it.", reply_to=2),
        cm("jose", "Oops, meant for the release thread: 2.4.1 is rolling out to Android now.", hidden=True),
    ],
    "p34": [
        cm("soren", "Confirmed fixed on my S10. Smooth as butter."),
        cm("jose", "Thanks for testing so quickly!", reply_to=0),
    ],
    "p35": [
        cm("tomas", "Could we add “does it log anything sensitive?” under Output?"),
        cm("priya", "Yes, good one. Added.", reply_to=0),
        cm("gosia", "The test that tries someone else’s id should be mandatory, agreed."),
        cm("sam", "Is there a template for the PR description with these questions?"),
        cm("priya", "Coming this week. It will be in the repository so it shows up automatically.", reply_to=3),
        cm("kenji", "This plus the review guide covers most of what I look for. Thanks."),
        cm("fatima", "Why 404 for “not yours” instead of 403?"),
        cm("priya", "Because 403 tells an attacker the thing exists. 404 tells them nothing.", reply_to=6),
    ],
    "p37": [
        cm("zoe", "Design tokens for the win. Thanks for the kind words."),
        cm("misaki", "The booking confirmation e-mail preview is unreadable in dark mode: grey text on dark grey."),
        cm("fatima", "Good catch, fixed in the next release.", reply_to=1),
        cm("lan", "My eyes thank you. 🌙"),
        cm("olafur", "whoever designed the old dark mode should be fired honestly", hidden=True),
        cm("tomas", "Hid a comment that went after a person rather than the work. Feedback on design is always welcome; that was not feedback."),
        cm("sam", "Works great on the web. Will the apps follow?"),
        cm("fatima", "Yes, the tokens make it much easier now. Targeting 2.6.", reply_to=6),
    ],
    "p38": [
        cm("priya", "Thank you, Dmitri. This is exactly what I needed. Good luck with the new job!"),
        cm("margit", "We will miss you. Thank you for everything."),
        cm("dmitri", "Thank you both. Call me if the reconciliation job ever says something scary.", reply_to=0),
    ],
    "p39": [
        cm("priya", "Good reminder that a backup nobody has restored is only a hope."),
        cm("gosia", "Could we add the expected restore time? Useful for the status update."),
        cm("olafur", "About 4 minutes for the current size. Added.", reply_to=1),
        cm("sam", "Why move the old database aside instead of deleting it?"),
        cm("olafur", "Because sometimes the problem is one table, and you want to copy the rest back from it.", reply_to=3),
    ],
    "p40": [
        cm("sam", "The status count one-liner is now in my shell history forever."),
        cm("olafur", "You can add <code>--arg id req-7f3a</code> and filter with jq instead of grep, if you want to avoid matching the id inside other fields."),
        cm("lan", "Nice, that is cleaner.", reply_to=1),
        cm("kenji", "Anyone have a recipe for requests per minute?"),
        cm("lan", "Group on the first 16 characters of the time field and count. Will add it.", reply_to=3),
        cm("kenji", "Careful, the reset e-mails are logged with their link, e.g. https://app.tidewater.example/reset?token=9f2c41d7… so grep for “reset” with care", hidden=True),
    ],
    "p41": [
        cm("zoe", "The prototype point is fair. I will bring designs to customers earlier next time."),
    ],
    "p43": [
        cm("soren", "Norwegian is mostly done. The plural rules were easier than I expected."),
        cm("lan", "Tiếng Việt: happy to review any new strings. Just tag me."),
        cm("jose", "Spanish is up to date as of today."),
        cm("misaki", "Thank you all! 🙏"),
        cm("fatima", "I could do Arabic, but right-to-left layout will need some work first. Is that on the roadmap?"),
        cm("zoe", "It is a good reason to put it there. Let us talk next week.", reply_to=4),
    ],
    "p44": [
        cm("margit", "Thank you for the candid write-up. The quote at the end is going in the handbook."),
        cm("priya", "For context on the pool size: we allow 8 concurrent hashes per server, about 160 MiB, and queue the rest."),
        cm("sam", "Would a per-user limit have helped? Or was it a different user each time?"),
        cm("tomas", "Mostly different users, each retrying. The per-IP limit helped more, because many apps shared a few mobile carrier addresses.", reply_to=2),
        cm("kenji", "The backoff with jitter in the apps is the most important fix, I think. Otherwise they all come back in sync."),
        cm("jose", "The mobile backoff change shipped in 2.4.1 for Android and 2.4.2 for iOS."),
        cm("olafur", "Were any accounts locked by the storm? The failed-login counter must have gone wild."),
        cm("tomas", "A few hundred were throttled for 15 minutes. None permanently locked, and the counts reset after the window.", reply_to=6),
        cm("lan", "Raw log lines from 14:05 for anyone curious: {\"email\":\"k.larsen@…\",\"ip\":\"…\",\"status\":503} and about 400 more like it", hidden=True),
        cm("zoe", "Adding a “we are having trouble signing you in” banner to the apps for situations like this."),
    ],
    "p45": [
        cm("fatima", "The time zone hint is my favourite. Small thing, big effect."),
        cm("sam", "I tagged two papercuts already."),
    ],
    "p46": [
        cm("gosia", "We did the same in the Android code with inline classes. Caught two bugs in the first week."),
        cm("sam", "Does it work with the database layer, or do you unwrap at the boundary?"),
        cm("kenji", "It conforms to the database library's value protocol, so the wrapper goes all the way down.", reply_to=1),
    ],
    "p49": [
        cm("tomas", "The per-email count whether or not the account exists is a subtle and important detail."),
        cm("sam", "How do offices behind one address do on 50 per IP? Our biggest customer has 80 staff."),
        cm("priya", "Failed logins only. Successful ones do not count, so 80 people signing in normally is fine.", reply_to=1),
    ],
    "p50": [
        cm("olafur", "The 4 GB WAL story deserves its own post."),
        cm("gosia", "It was a long-running export holding a read transaction open. Maybe I will write it up.", reply_to=0),
        cm("kenji", "Did you try <code>wal_autocheckpoint</code> tuning?"),
        cm("gosia", "Default is fine for us once the long readers are gone. Tuning would hide the real problem.", reply_to=2),
    ],
    "p52": [
        cm("sam", "The grumbling was mostly me. Sorry, and thanks for the quick fix."),
        cm("kenji", "Should the prune job also clean old build artifacts?"),
        cm("olafur", "They expire after seven days already, so Docker was the only thing growing.", reply_to=1),
    ],
    "p54": [
        cm("soren", "Count me in."),
        cm("lan", "Me too, Android please."),
        cm("misaki", "iOS でテストします！"),
        cm("fatima", "Breaks in the calendar! Physios have been asking for this forever."),
        cm("soren", "Count me in.", hidden=True),
        cm("jose", "Invites sent to everyone above. Thank you!"),
    ],
    "p57": [
        cm("gosia", "Goodbye, Python 2. You served us well, mostly."),
        cm("fatima", "For next week: the calendar screen reader work should be merged by Wednesday."),
        cm("sam", "Is this going to be weekly for real? I like it."),
        cm("kenji", "As long as people keep replying with news, yes.", reply_to=2),
        cm("jose", "test 123 please ignore", hidden=True),
    ],
    "p60": [
        cm("sam", "Double time off for holiday shifts is generous. Thank you."),
        cm("lan", "Happy holidays, everyone! 🎄"),
        cm("jose", "Does the freeze include the web app?"),
        cm("margit", "Yes, everything customer-facing. Internal tools can still ship.", reply_to=2),
        cm("misaki", "良いお年を！"),
        cm("gosia", "Wesołych Świąt! 🎄"),
        cm("olafur", "Gleðileg jól!"),
    ],
}

# Why each hidden comment was hidden (post, author): checked against the threads above, and
# listed in data/README.md.
HIDDEN_WHY = {
    ("p12", "olafur"): "advertising",
    ("p21", "zoe"): "a customer’s personal details",
    ("p28", "sam"): "a pasted token",
    ("p37", "olafur"): "a personal attack",
    ("p54", "soren"): "a duplicate",
    ("p57", "jose"): "a test comment left by mistake",
    ("p26", "gosia"): "a duplicate",
    ("p44", "lan"): "customers’ e-mail addresses in pasted log lines",
    ("p40", "kenji"): "a live password-reset link",
    ("p33", "jose"): "posted on the wrong post (at the author’s request)",
}

# ---------------------------------------------------------------------------------------
# Checks: the demo must be data the service itself would accept.
# ---------------------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "strong", "em", "a", "ul", "ol", "li", "code", "pre", "blockquote", "h2"}
NAME_PUNCTUATION = {" ", "'", "\u2019", "-", "\u2010", "\u00b7", "\u200c"}


def fail(message: str) -> None:
    sys.exit(f"make_demo.py: {message}")


def graphemes(text: str) -> int:
    """Characters as a reader counts them, near enough for the texts here: code points
    after NFC, not counting combining marks, variation selectors or zero-width joiners."""
    text = unicodedata.normalize("NFC", text)
    return sum(1 for ch in text
               if not unicodedata.category(ch).startswith("M") and ch not in "\ufe0f\u200d")


class AllowlistChecker(HTMLParser):
    """Collects the visible text of rich content and refuses anything outside the allowlist."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            fail(f"{self.where}: <{tag}> is not in the allowlist")
        for name, value in attrs:
            if not (tag == "a" and name == "href" and value and value.startswith("https://")):
                fail(f"{self.where}: attribute {name}={value!r} on <{tag}> is not allowed")
        if tag == "a" and not attrs:
            fail(f"{self.where}: <a> without href")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            fail(f"{self.where}: </{tag}> does not close {self.open[-1:]}")
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        fail(f"{self.where}: HTML comments are not allowed")


def visible_text(content: str, where: str) -> str:
    if re.search(r"&(?!(?:[a-z]+|#\d+);)", content):
        fail(f"{where}: a bare & must be written &amp;")
    checker = AllowlistChecker(where)
    checker.feed(content)
    checker.close()
    if checker.open:
        fail(f"{where}: unclosed {checker.open}")
    return "".join(checker.text).strip()


def check_users(common: set[str]) -> None:
    emails = [email for _, email, *_ in USERS]
    if len(set(emails)) != len(emails):
        fail("duplicate email")
    roles = [role for *_, user_roles, _ in USERS for role in user_roles]
    if (roles.count("admin"), roles.count("moderator")) != (2, 3) or len(USERS) < 12:
        fail("expected 2 admins, 3 moderators and at least 7 users")
    if sum(1 for *_, active in USERS if not active) != 1:
        fail("expected exactly one inactive user")
    for key, email, first, last, password, _, _ in USERS:
        if email != email.strip().lower() or not re.fullmatch(r"[a-z0-9.]+@steward\.test", email):
            fail(f"{email}: not a lower-case demo address")
        for field, name in (("firstName", first), ("lastName", last)):
            if name != unicodedata.normalize("NFC", name) or not 2 <= graphemes(name) <= 50:
                fail(f"{email}: {field} {name!r} has the wrong length or is not NFC")
            for ch in name:
                if not (unicodedata.category(ch)[0] in "LM" or ch in NAME_PUNCTUATION):
                    fail(f"{email}: {field} {name!r} holds {ch!r}")
        if not 8 <= len(password) <= 128:
            fail(f"{email}: password length")
        categories = [unicodedata.category(ch) for ch in password]
        if not ("Ll" in categories and ("Lu" in categories or "Lt" in categories) and "Nd" in categories
                and any(cat[0] != "L" and cat != "Nd" for cat in categories)):
            fail(f"{email}: password lacks a character class")
        if password.lower() in common:
            fail(f"{email}: password is on the common-password list")


def check_posts(created: dict[str, dt.datetime]) -> None:
    statuses = [status for _, _, status, *_ in POSTS]
    if len(POSTS) != 60 or (statuses.count("published"), statuses.count("draft"), statuses.count("archived")) != (40, 12, 8):
        fail(f"expected 60 posts, 40 published, 12 draft, 8 archived; got {len(POSTS)} {statuses.count('published')}/{statuses.count('draft')}/{statuses.count('archived')}")
    titles_by_author: dict[str, set[str]] = {}
    for key, author, status, _, title, tags, content in POSTS:
        where = f"post {key}"
        if author not in EMAIL:
            fail(f"{where}: unknown author {author}")
        if title != title.strip() or not 5 <= graphemes(title) <= 200:
            fail(f"{where}: title length")
        folded = unicodedata.normalize("NFC", title).lower()
        if folded in titles_by_author.setdefault(author, set()):
            fail(f"{where}: {author} already has a post titled {title!r}")
        titles_by_author[author].add(folded)
        if len(tags) > 10 or len(set(tags)) != len(tags):
            fail(f"{where}: too many or repeated tags")
        for tag in tags:
            if tag != tag.lower() or not 2 <= graphemes(tag) <= 30:
                fail(f"{where}: tag {tag!r}")
        if len(content) > 10_000 or graphemes(visible_text(content, where)) < 10:
            fail(f"{where}: content length {len(content)}")
        if not START <= created[key] < END:
            fail(f"{where}: created outside the 90 days")
        if author == "dmitri" and created[key] >= END - dt.timedelta(days=DMITRI_LAST_DAY_AGO):
            fail(f"{where}: dated after Dmitri left")
    for author in EMAIL:
        times = sorted(created[key] for key, post_author, *_ in POSTS if post_author == author)
        for index, start in enumerate(times):
            if sum(1 for t in times[index:] if t < start + dt.timedelta(hours=24)) > 10:
                fail(f"{author}: more than 10 posts in 24 hours")


def check_comments(comments: list[dict], post_created: dict[str, dt.datetime], post_status: dict[str, str]) -> None:
    if len(comments) != 200:
        fail(f"expected 200 comments, got {len(comments)}")
    hidden = sum(1 for comment in comments if comment["status"] == "hidden")
    if not 8 <= hidden <= 12:
        fail(f"expected about 10 hidden comments, got {hidden}")
    author_key = {email: key for key, email in EMAIL.items()}
    hidden_pairs = {(comment["post"], author_key[comment["author"]]) for comment in comments if comment["status"] == "hidden"}
    if hidden_pairs != set(HIDDEN_WHY):
        fail(f"HIDDEN_WHY does not match the hidden comments: {sorted(hidden_pairs ^ set(HIDDEN_WHY))}")
    by_key = {}
    for comment in comments:
        where = f"comment {comment['key']}"
        post = comment["post"]
        if post_status[post] == "draft":
            fail(f"{where}: on a draft")
        when = parse_time(comment["createdAt"])
        if not post_created[post] < when < END:
            fail(f"{where}: not between its post and the end")
        if comment["parent"] is not None:
            parent = by_key[comment["parent"]]
            if parent["post"] != post or not parse_time(parent["createdAt"]) < when:
                fail(f"{where}: parent on another post or not older")
        if graphemes(comment["content"]) > 2000 or graphemes(visible_text(comment["content"], where)) < 1:
            fail(f"{where}: content length")
        if comment["author"] == EMAIL["dmitri"] and when >= END - dt.timedelta(days=DMITRI_LAST_DAY_AGO):
            fail(f"{where}: dated after Dmitri left")
        by_key[comment["key"]] = comment


# ---------------------------------------------------------------------------------------
# Making the records.
# ---------------------------------------------------------------------------------------

START = END - dt.timedelta(days=90)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def make_posts(rng: random.Random) -> tuple[list[dict], dict[str, dt.datetime]]:
    records, created = [], {}
    for key, author, status, days_ago, title, tags, content in POSTS:
        # Posts are written in working hours, Europe to Asia: 06:00 to 17:59 UTC.
        moment = (END - dt.timedelta(days=days_ago)).replace(
            hour=rng.randrange(6, 18), minute=rng.randrange(60), second=rng.randrange(60))
        created[key] = moment
        records.append({
            "key": key,
            "author": EMAIL[author],
            "title": title,
            "content": content,
            "status": status,
            "tags": tags,
            "createdAt": iso(moment),
        })
    return records, created


def make_comments(rng: random.Random, created: dict[str, dt.datetime]) -> list[dict]:
    """Numbers the comments c001… in post order and dates each thread after its post: the
    first within hours, the rest spread over the following days, each after the one before
    (so every reply is younger than its parent), and all before END."""
    records: list[dict] = []
    for post_key in sorted(THREADS):
        thread = THREADS[post_key]
        post_time = created[post_key]
        deadline = END - dt.timedelta(hours=1)
        if any(author == "dmitri" for author, *_ in thread):
            # Dmitri's account was deactivated when he left; he wrote nothing after that.
            deadline = min(deadline, END - dt.timedelta(days=DMITRI_LAST_DAY_AGO))
        room = (deadline - post_time).total_seconds()
        # Threads stay busy for up to ten days; recent posts get what time there is.
        span = min(room, 10 * 86400) * rng.uniform(0.4, 1.0)
        gaps = [rng.expovariate(1.0) for _ in thread]
        scale = span / sum(gaps)
        moment = post_time
        keys_in_thread: list[str] = []
        for (author, text, reply_to, hidden), gap in zip(thread, gaps):
            moment = moment + dt.timedelta(seconds=max(90, int(gap * scale)))
            key = f"c{len(records) + 1:03d}"
            keys_in_thread.append(key)
            records.append({
                "key": key,
                "post": post_key,
                "author": EMAIL[author],
                "parent": keys_in_thread[reply_to] if reply_to is not None else None,
                "content": text,
                "status": "hidden" if hidden else "visible",
                "createdAt": iso(moment),
            })
    return records


def write_json(name: str, records: list[dict]) -> None:
    text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    (OUTPUT / name).write_text(text, encoding="utf-8")


def main() -> None:
    common: set[str] = set()
    if COMMON_PASSWORDS.exists():
        common = {line.strip().lower() for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")}
    check_users(common)

    rng = random.Random(SEED)
    posts, created = make_posts(rng)
    check_posts(created)
    comments = make_comments(rng, created)
    check_comments(comments, created, {key: status for key, _, status, *_ in POSTS})

    users = [{
        "email": email,
        "firstName": first,
        "lastName": last,
        "password": password,
        "roles": roles,
        "isActive": active,
    } for _, email, first, last, password, roles, active in USERS]

    write_json("users.json", users)
    write_json("posts.json", posts)
    write_json("comments.json", comments)
    print(f"wrote {len(users)} users, {len(posts)} posts, {len(comments)} comments "
          f"({sum(1 for c in comments if c['status'] == 'hidden')} hidden) to {OUTPUT}")


if __name__ == "__main__":
    main()
