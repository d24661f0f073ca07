// The floor under the history store's CPU per message on this machine: SQLite itself (the library the server links,
// Debian's libsqlite3.a), driven from C with prepared statements and nothing else, on a copy of a history.db that
// lantalk-server made (so the schema, page size and indexes are the server's own, whatever migration it is at).
// Issue 14 allows the store +15 % CPU per delivery; at burst-32 (31 deliveries per message, about 0.2 us per
// delivery with the store off) that is about 1 us per message, and this shows what one insert costs before any of
// the server's own code runs. Prints CPU (user+sys, getrusage) per row or per commit:
//   bare      one table with the messages' columns and no index: the least a row of SQLite costs;
//   schema    the server's schema, its INSERT into messages, N rows per commit (the writer's group commit);
//   +fts      the same plus the full-text index's batch every 1,000 rows, as the writer runs it (for ASCII texts in a
//             room, which is what the index expression reduces to for the load harness's messages);
//   commit    one row per commit with synchronous=NORMAL (no flush) and =FULL (an fsync of the log per commit, the
//             server's default HistoryPowerSafe): the difference is what the power-cut flush costs per commit.
// Usage: store-floor TEMPLATE_DB WORK_DIR. Build and run: make store-floor. Writes only in WORK_DIR.
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

enum { Rows = 64000, IndexBatch = 1000, Commits = 2000 };

static double cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
        fprintf(stderr, "store-floor: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
    {
        fprintf(stderr, "store-floor: %s: %s\n", sql, error);
        exit(1);
    }
}

// The server registers lantalk_fold for the index expression; an ASCII text never reaches it, but the name must resolve.
static void fold(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_value(context, argv[0]);
}

// A fresh copy of the template (VACUUM INTO), opened with the writer's pragmas.
static sqlite3 *open_copy(const char *template, const char *path, const char *synchronous)
{
    unlink(path);
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    sqlite3 *db;
    if (template != NULL)
    {
        // The handle is set even when the open fails, so its message names the reason.
        int rc = sqlite3_open_v2(template, &db, SQLITE_OPEN_READONLY, NULL);
        check(db, rc, template);
        char *sql = sqlite3_mprintf("VACUUM INTO %Q", path);
        exec(db, sql);
        sqlite3_free(sql);
        sqlite3_close(db);
    }

    int rc = sqlite3_open(path, &db);
    check(db, rc, path);
    sqlite3_create_function(db, "lantalk_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fold, NULL, NULL);
    char *sql = sqlite3_mprintf("PRAGMA journal_mode = WAL; PRAGMA synchronous = %s; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -32768;", synchronous);
    exec(db, sql);
    sqlite3_free(sql);
    return db;
}

static long long max_id(sqlite3 *db)
{
    sqlite3_stmt *s;
    check(db, sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) FROM messages", -1, &s, NULL), "max id");
    check(db, sqlite3_step(s), "max id");
    long long id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return id;
}

// Inserts Rows (or rows) messages of 64 bytes into room "lobby", per_commit to a transaction; returns CPU seconds.
static double insert(sqlite3 *db, int rows, int per_commit, int full_text)
{
    sqlite3_stmt *add, *index = NULL;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO messages(id, room, sender, recipient, kind, time_ms, text, pair) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &add, NULL), "prepare insert");
    if (full_text)
    {
        check(db, sqlite3_prepare_v2(db, "INSERT INTO messages_fts(rowid, text) SELECT id, text || ' ' || char(57344) || 'r' || hex(room) FROM messages WHERE id > ?1 AND id <= ?2; ", -1, &index, NULL), "prepare index");
    }

    long long first = max_id(db) + 1, indexed = first - 1;
    char text[128];
    double start = cpu();
    for (int i = 0; i < rows; i++)
    {
        long long id = first + i;
        if (i % per_commit == 0)
        {
            exec(db, "BEGIN");
        }

        snprintf(text, sizeof text, "load message %lld from sender %d ................................................", id, i % 32);
        sqlite3_bind_int64(add, 1, id);
        sqlite3_bind_text(add, 2, "lobby", -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 3, "load12", -1, SQLITE_STATIC);
        sqlite3_bind_null(add, 4);
        sqlite3_bind_int(add, 5, 0);
        sqlite3_bind_int64(add, 6, 1765000000000LL + id);
        sqlite3_bind_text(add, 7, text, 64, SQLITE_TRANSIENT);
        sqlite3_bind_null(add, 8);
        check(db, sqlite3_step(add), "insert");
        sqlite3_reset(add);
        if (index != NULL && id - indexed >= IndexBatch)
        {
            sqlite3_bind_int64(index, 1, indexed);
            sqlite3_bind_int64(index, 2, id);
            check(db, sqlite3_step(index), "index");
            sqlite3_reset(index);
            indexed = id;
        }

        if (i % per_commit == per_commit - 1 || i == rows - 1)
        {
            exec(db, "COMMIT");
        }
    }

    double used = cpu() - start;
    sqlite3_finalize(add);
    if (index != NULL)
    {
        sqlite3_finalize(index);
    }

    return used;
}

int main(int argc, char **argv)
{
    if (argc != 3)
    {
        fprintf(stderr, "usage: store-floor TEMPLATE_DB WORK_DIR (make store-floor makes the template with lantalk-server history bench)\n");
        return 2;
    }

    char path[4096];
    snprintf(path, sizeof path, "%s/floor.db", argv[2]);
    printf("store-floor: SQLite %s, %d rows of 64 bytes per run; CPU (user+sys) of this process\n", sqlite3_libversion(), Rows);

    sqlite3 *db = open_copy(NULL, path, "NORMAL");
    exec(db, "CREATE TABLE messages(id INTEGER PRIMARY KEY, room TEXT, sender TEXT NOT NULL, recipient TEXT, kind INTEGER NOT NULL, time_ms INTEGER NOT NULL, text TEXT NOT NULL, pair TEXT)");
    printf("  bare table, 200 rows per commit:             %5.2f us per row\n", insert(db, Rows, 200, 0) / Rows * 1e6);
    sqlite3_close(db);

    int groups[] = { 32, 200 };
    for (int g = 0; g < 2; g++)
    {
        db = open_copy(argv[1], path, "NORMAL");
        double plain = insert(db, Rows, groups[g], 0);
        sqlite3_close(db);
        db = open_copy(argv[1], path, "NORMAL");
        double full = insert(db, Rows, groups[g], 1);
        sqlite3_close(db);
        printf("  server schema, %3d rows per commit:          %5.2f us per row; with the full-text batch %5.2f us\n", groups[g], plain / Rows * 1e6, full / Rows * 1e6);
    }

    db = open_copy(argv[1], path, "NORMAL");
    double normal = insert(db, Commits, 1, 0);
    sqlite3_close(db);
    db = open_copy(argv[1], path, "FULL");
    double flushed = insert(db, Commits, 1, 0);
    sqlite3_close(db);
    printf("  one row per commit, synchronous=NORMAL:      %5.1f us per commit\n", normal / Commits * 1e6);
    printf("  one row per commit, synchronous=FULL:        %5.1f us per commit (the log's fsync: %.1f us)\n", flushed / Commits * 1e6, (flushed - normal) / Commits * 1e6);
    unlink(path);
    snprintf(path, sizeof path, "%s/floor.db-wal", argv[2]);
    unlink(path);
    snprintf(path, sizeof path, "%s/floor.db-shm", argv[2]);
    unlink(path);
    return 0;
}
