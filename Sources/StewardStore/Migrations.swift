import StewardModel
import GRDB

/// The schema of docs/security.md, as versioned migrations.
///
/// Migrations are append-only: a released migration is never edited; a change is a new
/// migration. `steward migrate --status` lists them by these identifiers.
enum StewardMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema", migrate: createSchema)
        migrator.registerMigration("v1-builtin-roles", migrate: insertBuiltinRoles)
        migrator.registerMigration("v1-search", migrate: createSearch)
        migrator.registerMigration("v2-sessions", migrate: createSessions)
        migrator.registerMigration("v3-audit-actor", migrate: createAuditActorIndex)
        migrator.registerMigration("v4-auth-epoch", migrate: createAuthEpoch)
        return migrator
    }

    private static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE users (
                id              INTEGER PRIMARY KEY,
                email           TEXT    NOT NULL,
                password_hash   TEXT    NOT NULL,
                first_name      TEXT    NOT NULL,
                last_name       TEXT    NOT NULL,
                is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
                token_version   INTEGER NOT NULL DEFAULT 0,
                failed_logins   INTEGER NOT NULL DEFAULT 0,
                locked_until    TEXT,
                created_at      TEXT    NOT NULL,
                updated_at      TEXT    NOT NULL,
                CHECK (email = lower(email))
            );
            CREATE UNIQUE INDEX users_email ON users(email);

            CREATE TABLE roles (
                name        TEXT PRIMARY KEY,
                description TEXT NOT NULL DEFAULT ''
            ) WITHOUT ROWID;

            CREATE TABLE permissions (
                name        TEXT PRIMARY KEY,
                description TEXT NOT NULL DEFAULT ''
            ) WITHOUT ROWID;

            CREATE TABLE role_permissions (
                role        TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
                permission  TEXT NOT NULL REFERENCES permissions(name) ON DELETE CASCADE,
                PRIMARY KEY (role, permission)
            ) WITHOUT ROWID;

            CREATE TABLE user_roles (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                role    TEXT    NOT NULL REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
                PRIMARY KEY (user_id, role)
            ) WITHOUT ROWID;
            CREATE INDEX user_roles_role ON user_roles(role, user_id);

            CREATE TABLE posts (
                id           INTEGER PRIMARY KEY,
                author_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                title        TEXT    NOT NULL,
                -- Unicode lower case of the NFC title: titles are unique per author on this key.
                title_key    TEXT    NOT NULL,
                content      TEXT    NOT NULL,
                status       TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
                created_at   TEXT    NOT NULL,
                updated_at   TEXT    NOT NULL
            );
            CREATE UNIQUE INDEX posts_author_title ON posts(author_id, title_key);
            CREATE INDEX posts_author_created ON posts(author_id, created_at);
            CREATE INDEX posts_status_created ON posts(status, created_at);
            CREATE INDEX posts_created ON posts(created_at);
            CREATE INDEX posts_published ON posts(created_at) WHERE status = 'published';

            -- The daily post limit counts deleted posts too, so creations are logged apart.
            CREATE TABLE post_creations (
                author_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at TEXT    NOT NULL
            );
            CREATE INDEX post_creations_author ON post_creations(author_id, created_at);

            CREATE TABLE tags (
                id   INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE
            );

            CREATE TABLE post_tags (
                post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
                tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
                PRIMARY KEY (post_id, tag_id)
            ) WITHOUT ROWID;
            CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);

            CREATE TABLE comments (
                id          INTEGER PRIMARY KEY,
                post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
                author_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                parent_id   INTEGER REFERENCES comments(id) ON DELETE CASCADE,
                content     TEXT    NOT NULL,
                status      TEXT    NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
                created_at  TEXT    NOT NULL,
                updated_at  TEXT    NOT NULL
            );
            CREATE INDEX comments_post ON comments(post_id, id);
            CREATE INDEX comments_author ON comments(author_id);
            CREATE INDEX comments_parent ON comments(parent_id) WHERE parent_id IS NOT NULL;
            CREATE INDEX comments_created ON comments(created_at);


            \(SQLiteStore.commentsParentTrigger);

            CREATE TABLE refresh_tokens (
                id          INTEGER PRIMARY KEY,
                user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                family_id   TEXT    NOT NULL,
                token_hash  TEXT    NOT NULL UNIQUE,
                created_at  TEXT    NOT NULL,
                expires_at  TEXT    NOT NULL,
                rotated_at  TEXT,
                revoked_at  TEXT
            );
            CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
            CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);

            -- Signed-out refresh families: access tokens carrying one of these `sid`s are refused.
            CREATE TABLE revoked_sessions (
                family_id  TEXT PRIMARY KEY,
                revoked_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            ) WITHOUT ROWID;

            -- Failed logins per submitted email and per client IP, for throttling.
            CREATE TABLE login_failures (
                key         TEXT    PRIMARY KEY,
                failures    INTEGER NOT NULL,
                window_start TEXT   NOT NULL,
                locked_until TEXT
            ) WITHOUT ROWID;

            CREATE TABLE security_events (
                id          INTEGER PRIMARY KEY,
                created_at  TEXT    NOT NULL,
                event       TEXT    NOT NULL,
                user_id     INTEGER,
                actor_id    INTEGER,
                client      TEXT    NOT NULL,
                details     TEXT    NOT NULL DEFAULT '{}'
            );
            CREATE INDEX security_events_event ON security_events(event, id);
            CREATE INDEX security_events_user ON security_events(user_id, id);
            CREATE INDEX security_events_created ON security_events(created_at);

            -- The audit trail is append-only for every writer, not just for the services.
            CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
            BEGIN SELECT RAISE(ABORT, 'security_events is append-only'); END;
            CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
            BEGIN SELECT RAISE(ABORT, 'security_events is append-only'); END;
            """)
    }

    private static func insertBuiltinRoles(_ db: Database) throws {
        for permission in Permission.all {
            try db.execute(sql: "INSERT INTO permissions(name, description) VALUES (?, ?)",
                           arguments: [permission.name, permission.description])
        }
        for role in BuiltinRoles.all {
            try db.execute(sql: "INSERT INTO roles(name, description) VALUES (?, ?)",
                           arguments: [role.name, role.description])
            for permission in role.permissions.map(\.name) {
                try db.execute(sql: "INSERT INTO role_permissions(role, permission) VALUES (?, ?)",
                               arguments: [role.name, permission])
            }
        }
    }

    /// Full-text search over posts (title and visible text) and comments (visible text).
    ///
    /// The tables keep their own copy of the *visible* text rather than indexing the stored
    /// HTML through external content: a search for "strong" should not match every post
    /// that uses bold. The store keeps them in step with each write.
    private static func createSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE comments_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
            """)
    }

    /// Signed-in sessions, one row per refresh family (an HTTP login or a console sign-in):
    /// who, from which client, since when. A session ends when its family is revoked or
    /// its user's token version moves on; `ended_at` records the first of those.
    private static func createSessions(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sessions (
                family_id    TEXT    PRIMARY KEY,
                user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                client       TEXT    NOT NULL,
                created_at   TEXT    NOT NULL,
                last_used_at TEXT    NOT NULL,
                expires_at   TEXT    NOT NULL,
                ended_at     TEXT
            ) WITHOUT ROWID;
            CREATE INDEX sessions_user ON sessions(user_id, created_at);
            """)
    }

    /// The audit tab filters by actor ("what did this admin do?") as often as by subject;
    /// without this index that filter walks the whole trail backwards. It also lets the
    /// `user_id = ? OR actor_id = ?` history of a user use two index probes.
    private static func createAuditActorIndex(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX security_events_actor ON security_events(actor_id, id)")
    }

    /// A counter that every change to what an access token's subject is made of bumps, in
    /// the same transaction (see `TokenSubjectCache`): the in-memory subjects are emptied
    /// when it moves. Triggers rather than calls in the store's methods, so that no write,
    /// however it is made, can change an account's rights without the counter knowing.
    private static func createAuthEpoch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE auth_epoch (
                id    INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO auth_epoch(id, value) VALUES (1, 0);
            CREATE TRIGGER auth_epoch_users_update AFTER UPDATE OF email, token_version, is_active ON users
            BEGIN UPDATE auth_epoch SET value = value + 1; END;
            CREATE TRIGGER auth_epoch_users_delete AFTER DELETE ON users
            BEGIN UPDATE auth_epoch SET value = value + 1; END;
            CREATE TRIGGER auth_epoch_sessions_update AFTER UPDATE OF ended_at ON sessions
            BEGIN UPDATE auth_epoch SET value = value + 1; END;
            CREATE TRIGGER auth_epoch_sessions_delete AFTER DELETE ON sessions
            BEGIN UPDATE auth_epoch SET value = value + 1; END;
            """)
        for table in ["user_roles", "role_permissions", "revoked_sessions"] {
            for change in ["INSERT", "UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TRIGGER auth_epoch_\(table)_\(change.lowercased()) AFTER \(change) ON \(table)
                    BEGIN UPDATE auth_epoch SET value = value + 1; END
                    """)
            }
        }
    }
}
