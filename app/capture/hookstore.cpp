#include "hookstore.h"

#include "formats/bodycoding.h"

#include "bodylog.h"
#include "intake.h"
#include "sqlitestatement.h"

#include <sqlite3.h>
#include <atomic>
#include <cstring>
#include <limits>
#include <unistd.h>

#include <QAtomicInteger>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace {

std::atomic<QThread *> forbiddenThread{nullptr};
std::atomic<int> forbiddenCount{0};

int traceStatement(unsigned, void *, void *statement, void *)
{
    if (QThread::currentThread() != forbiddenThread.load(std::memory_order_relaxed))
        return 0;
    const char *sql = sqlite3_sql(static_cast<sqlite3_stmt *>(statement));
    forbiddenCount.fetch_add(1);
#ifndef NDEBUG
    qFatal("SQL on a thread that must not run any: %s", sql);
#else
    qWarning("SQL on a thread that must not run any: %s", sql);
#endif
    return 0;
}

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("hookscope-store-%1").arg(counter.fetchAndAddRelaxed(1));
}

QString problemsText(const QStringList &problems)
{
    return problems.join(u'\n');
}

// SQLite stores a null QString as NULL; the schema wants a value.
QVariant text(const QString &string)
{
    return string.isNull() ? QVariant(QStringLiteral("")) : QVariant(string);
}

QStringList problemsList(const QString &text)
{
    return text.isEmpty() ? QStringList() : text.split(u'\n');
}

// Columns shared by every full-hook SELECT, in the order readHook() expects.
// Schema 5: what a delivery wrote before its body, when each of its phases ended,
// and whether it sent its hook's body unchanged (then that body is not stored twice).
#define DeliveriesSchema5Columns \
    " request_head BLOB NOT NULL DEFAULT x'',"             \
    " body_from_hook INTEGER NOT NULL DEFAULT 0,"          \
    " dns_us INTEGER NOT NULL DEFAULT -1,"                 \
    " connect_us INTEGER NOT NULL DEFAULT -1,"             \
    " tls_us INTEGER NOT NULL DEFAULT -1,"                 \
    " first_byte_us INTEGER NOT NULL DEFAULT -1,"          \
    " total_us INTEGER NOT NULL DEFAULT -1"

// Schema 2: named counters of the store itself.
constexpr auto StoreStateTable = "CREATE TABLE store_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID";

constexpr auto HookColumns =
    "id, received_us, peer_address, peer_port, method, target, version, headers, body, trailers, chunked,"
    " provider, event, action, secret, signature, problems, answer_status, answer_headers, answer_body, origin, action_sent, rule, refusal,"
    " body_segment, body_offset, body_size, body_checksum";

// Schema 7: a large body is kept in the body log (see bodylog.h), its row says where.
#define HooksSchema7Columns                               \
    " body_segment INTEGER NOT NULL DEFAULT 0,"           \
    " body_offset INTEGER NOT NULL DEFAULT 0,"            \
    " body_checksum INTEGER NOT NULL DEFAULT 0"
// Which segments are still referred to, without a look at every row; small bodies stay out of it.
constexpr auto BodySegmentIndex = "CREATE INDEX hooks_body_segment ON hooks(body_segment) WHERE body_segment > 0";

// Schema 8: the large bodies that older schemas kept in their rows go to the
// body log, as new ones have since schema 7. A table that reads no body still
// walks each one's overflow pages to reach the columns stored after it (event,
// action, ...); out of the row they cost nothing there.
//
// Runs inside the migration's transaction, in batches of at most BatchBytes of
// bodies: each batch is written to a body log of its own and synced before its
// rows are changed to point to it, and no row does so durably before the commit.
// A process killed midway leaves the store at its old version with every body
// still in its row; what it wrote sits in segments no hook refers to, which the
// writer deletes at its next open (BodyLog::reclaim()). The log is numbered past
// every segment present and every one a hook refers to, and is closed when this
// returns, so the writer's own log starts past it in turn.
bool moveBodiesToLog(sqlite3 *db, const QString &path, qint64 *moved, QString *error)
{
    constexpr qint64 BatchBytes = 64 * 1024 * 1024;
    SqliteStatement last;
    SqliteStatement select;
    SqliteStatement update;
    if (!last.prepare(db, "SELECT coalesce(max(body_segment), 0) FROM hooks WHERE body_segment > 0") || !last.step()
        || !select.prepare(db, "SELECT id, body FROM hooks WHERE id > ? AND body_segment = 0 AND length(body) > ? ORDER BY id")
        || !update.prepare(db, "UPDATE hooks SET body = x'', body_size = ?, body_segment = ?, body_offset = ?, body_checksum = ?"
                               " WHERE id = ?")) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    }
    // The bodies are moved, not deleted: zeroing the pages they leave (SQLite
    // built with secure_delete on, as Debian's is) would write them all once
    // more, into the WAL. FAST still clears what is left in the rows' own pages.
    SqliteStatement secureDelete;
    const qint64 wasSecure = secureDelete.prepare(db, "PRAGMA secure_delete") && secureDelete.step() ? secureDelete.int64(0) : 0;
    secureDelete.finalize();
    const auto restore = qScopeGuard([db, wasSecure] {
        QString ignored;
        SqliteStatement::exec(db, QByteArray("PRAGMA secure_delete=" + QByteArray::number(wasSecure)).constData(), &ignored);
    });
    QString ignored;
    SqliteStatement::exec(db, "PRAGMA secure_delete=FAST", &ignored);
    BodyLog log;
    if (!log.open(path, last.int64(0))) {
        *error = log.errorString();
        return false;
    }
    qint64 after = std::numeric_limits<qint64>::min();
    for (;;) {
        QList<Hook> batch;
        qint64 bytes = 0;
        select.bind(1, after);
        select.bind(2, qint64(BodyLog::Threshold));
        while (bytes < BatchBytes && select.step()) {
            Hook hook;
            hook.id = select.int64(0);
            hook.body = select.blob(1);
            bytes += hook.body.size();
            batch.append(std::move(hook));
        }
        if (!select.ok()) {
            *error = select.errorString();
            return false;
        }
        select.reset();
        if (batch.isEmpty())
            return true;
        if (!log.append(&batch) || !log.sync()) {
            *error = log.errorString();
            return false;
        }
        for (const Hook &hook : std::as_const(batch)) {
            const Hook::BodyRef &ref = hook.bodyRef;
            update.bind(1, ref.size);
            update.bind(2, ref.segment);
            update.bind(3, ref.offset);
            update.bind(4, qint64(ref.checksum));
            update.bind(5, hook.id);
            if (!update.run()) {
                *error = update.errorString();
                return false;
            }
        }
        log.settled(batch);
        *moved += bytes;
        after = batch.constLast().id;
    }
}

Hook::BodyRef bodyRefAt(const QSqlQuery &q, int column)
{
    return {q.value(column).toLongLong(), q.value(column + 1).toLongLong(), q.value(column + 2).toLongLong(),
            quint64(q.value(column + 3).toLongLong())};
}

// The body of a hook in the body log, or false with the hook named in *error.
bool readLoggedBody(BodyReader &reader, qint64 id, const Hook::BodyRef &ref, QByteArray *body, QString *error)
{
    QString why;
    if (reader.read(ref, body, &why))
        return true;
    *error = QStringLiteral("the body of hook %1 is lost: %2").arg(id).arg(why);
    return false;
}

Hook readHook(const QSqlQuery &q)
{
    Hook hook;
    hook.id = q.value(0).toLongLong();
    hook.receivedUs = q.value(1).toLongLong();
    hook.peerAddress = q.value(2).toString();
    hook.peerPort = quint16(q.value(3).toUInt());
    hook.method = q.value(4).toByteArray();
    hook.target = q.value(5).toByteArray();
    hook.version = q.value(6).toByteArray();
    hook.headers = HookStore::decodeHeaders(q.value(7).toByteArray());
    hook.body = q.value(8).toByteArray();
    hook.trailers = HookStore::decodeHeaders(q.value(9).toByteArray());
    hook.chunked = q.value(10).toBool();
    hook.inspection.provider = q.value(11).toString();
    hook.inspection.event = q.value(12).toString();
    hook.inspection.action = q.value(13).toString();
    hook.inspection.secret = catalog::Verdict(q.value(14).toInt());
    hook.inspection.signature = catalog::Verdict(q.value(15).toInt());
    hook.inspection.problems = problemsList(q.value(16).toString());
    hook.answer.status = q.value(17).toInt();
    hook.answer.headers = HookStore::decodeHeaders(q.value(18).toByteArray());
    hook.answer.body = q.value(19).toByteArray();
    hook.origin = Hook::Origin(q.value(20).toInt());
    hook.inspection.sentAction = q.value(21).toString();
    hook.answerRule = q.value(22).toString();
    hook.refusal = q.value(23).toString();
    hook.bodyRef = bodyRefAt(q, 24);
    return hook;
}

// The text parts of a query, as an SQL function over the stored columns: the
// same matcher decides for stored hooks as for live ones. The query it reads
// is the one of the statement being run (see registerMatcher()).
struct MatchContext
{
    const HookQuery *query;
    BodyReader *bodies;
};

// Arguments: target, headers, body, then the body's place in the body log
// (segment, offset, size, checksum). A body that cannot be read matches nothing.
void matchText(sqlite3_context *context, int, sqlite3_value **values)
{
    const auto *match = static_cast<const MatchContext *>(sqlite3_user_data(context));
    const auto view = [](sqlite3_value *value) {
        const auto *data = static_cast<const char *>(sqlite3_value_blob(value));
        return QByteArrayView(data, data ? sqlite3_value_bytes(value) : 0);
    };
    QByteArray logged;
    QByteArrayView body = view(values[2]);
    const Hook::BodyRef ref{sqlite3_value_int64(values[3]), sqlite3_value_int64(values[4]), sqlite3_value_int64(values[5]),
                            quint64(sqlite3_value_int64(values[6]))};
    if (ref.isExternal()) {
        QString error;
        body = match->bodies->read(ref, &logged, &error) ? QByteArrayView(logged) : QByteArrayView();
    }
    sqlite3_result_int(context, match->query->matchesText(view(values[0]), view(values[1]), body) ? 1 : 0);
}

// The context must outlive every statement run with the matcher.
bool registerMatcher(sqlite3 *db, const MatchContext &context)
{
    return sqlite3_create_function_v2(db, "hookscope_match_text", 7, SQLITE_UTF8, const_cast<MatchContext *>(&context),
                                      matchText, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// Builds "WHERE ..." for a query; bindValues() gives their values in order.
QString whereClause(const HookQuery &query)
{
    QStringList terms;
    if (!query.ids.isEmpty()) {
        QStringList ids;
        ids.reserve(query.ids.size());
        for (qint64 id : query.ids)
            ids.append(QString::number(id));
        terms.append(u"id IN (" + ids.join(u',') + u')');
    }
    if (!query.provider.isEmpty())
        terms.append(QStringLiteral("provider = ?"));
    if (!query.event.isEmpty())
        terms.append(QStringLiteral("event = ?"));
    if (!query.actions.isEmpty())
        terms.append(u"action IN (" + QStringList(query.actions.size(), QStringLiteral("?")).join(u',') + u')');
    if (query.status != 0)
        terms.append(QStringLiteral("answer_status = ?"));
    if (query.problemsOnly)
        terms.append(QStringLiteral("problem_count > 0"));
    if (query.refused)
        terms.append(*query.refused ? QStringLiteral("refusal <> ''") : QStringLiteral("refusal = ''"));
    if (query.verdict)
        terms.append(QStringLiteral("(secret = ? OR signature = ?)"));
    if (query.sinceUs != 0)
        terms.append(QStringLiteral("received_us >= ?"));
    if (query.untilUs != 0)
        terms.append(QStringLiteral("received_us < ?"));
    if (query.hasTextPart())
        terms.append(QStringLiteral("hookscope_match_text(target, headers, body, body_segment, body_offset, body_size, body_checksum)"));
    if (query.afterId > 0)
        terms.append(QStringLiteral("id > ?"));
    return terms.isEmpty() ? QString() : u" WHERE " + terms.join(u" AND ");
}

// The values for the placeholders of whereClause(), in their order.
QVariantList bindValues(const HookQuery &query)
{
    QVariantList values;
    if (!query.provider.isEmpty())
        values.append(query.provider);
    if (!query.event.isEmpty())
        values.append(query.event);
    for (const QString &action : query.actions)
        values.append(action);
    if (query.status != 0)
        values.append(qint64(query.status));
    if (query.verdict)
        values << qint64(*query.verdict) << qint64(*query.verdict);
    if (query.sinceUs != 0)
        values.append(query.sinceUs);
    if (query.untilUs != 0)
        values.append(query.untilUs);
    if (query.afterId > 0)
        values.append(query.afterId);
    return values;
}

QString tail(const HookQuery &query)
{
    QString sql = query.newestFirst ? QStringLiteral(" ORDER BY id DESC") : QStringLiteral(" ORDER BY id");
    if (query.limit >= 0)
        sql += u" LIMIT " + QString::number(query.limit);
    return sql;
}

} // namespace

QString deliveryKindName(Delivery::Kind kind)
{
    switch (kind) {
    case Delivery::Kind::Compose: return QStringLiteral("compose");
    case Delivery::Kind::Replay: return QStringLiteral("replay");
    case Delivery::Kind::Forward: return QStringLiteral("forward");
    }
    return QStringLiteral("compose");
}

bool deliveryKindFromName(QStringView name, Delivery::Kind *kind)
{
    for (auto k : {Delivery::Kind::Compose, Delivery::Kind::Replay, Delivery::Kind::Forward}) {
        if (name == deliveryKindName(k)) {
            *kind = k;
            return true;
        }
    }
    return false;
}

struct HookStore::Statements
{
    sqlite3 *db = nullptr;
    SqliteStatement begin;
    SqliteStatement commit;
    SqliteStatement rollback;
    SqliteStatement insertHook;
    SqliteStatement setIntakeThrough;
    SqliteStatement insertDelivery;     // these three prepared on the first delivery stored
    SqliteStatement sameBody;
    SqliteStatement setForwardStatus;
    // Texts that repeat from hook to hook, bound without converting each again.
    Utf8Memo peer;
    Utf8Memo provider;
    Utf8Memo event;
    Utf8Memo action;
    Utf8Memo sentAction;
    Utf8Memo rule;
    Utf8Memo refusal;
    // Encoded header lists of the hook being inserted.
    QByteArray headers;
    QByteArray trailers;
    QByteArray answerHeaders;
};

void HookStore::forbidQueriesOn(QThread *thread)
{
    forbiddenThread = thread;
}

int HookStore::forbiddenQueries()
{
    return forbiddenCount;
}

HookStore::HookStore()
    : m_bodies(std::make_unique<BodyReader>())
{
}

HookStore::~HookStore()
{
    close();
}

bool HookStore::fail(const QString &what, const QString &detail) const
{
    m_error = m_path.isEmpty() ? QString(what + u": " + detail) : QString(m_path + u": " + what + u": " + detail);
    return false;
}

bool HookStore::open(const QString &path, Mode mode)
{
    close();
    m_path = path;
    m_mode = mode;
    m_error.clear();

    const QFileInfo info(path);
    if (mode == Mode::ReadOnly && !info.exists())
        return fail(QStringLiteral("cannot open store"), QStringLiteral("no such file"));
    if (mode != Mode::ReadOnly && !QDir().mkpath(info.absolutePath()))
        return fail(QStringLiteral("cannot create folder"), info.absolutePath());

    m_connection = nextConnectionName();
    // Every QSqlDatabase and QSqlQuery handle lives inside connect(), so that
    // close() can remove the connection cleanly when it fails.
    if (!connect()) {
        close();
        return false;
    }
    if (mode != Mode::Writer)
        settleIntake();
    return true;
}

bool HookStore::connect()
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    m_bodies->setStorePath(m_path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
    if (m_mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options);
    if (!db.open())
        return fail(QStringLiteral("cannot open store"), db.lastError().text());

    if (forbiddenThread.load())
        sqlite3_trace_v2(SqliteStatement::handleOf(db), SQLITE_TRACE_STMT, traceStatement, nullptr);
    QSqlQuery q(db);
    // A file that is not SQLite fails here, on the first read.
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return fail(QStringLiteral("not a hookscope store"), q.lastError().text());
    const int version = q.value(0).toInt();
    if (version > SchemaVersion) {
        return fail(QStringLiteral("store was written by a newer hookscope"),
                    QStringLiteral("schema %1, this build knows %2").arg(version).arg(SchemaVersion));
    }
    if (m_mode == Mode::ReadOnly) {
        if (version == 0)
            return fail(QStringLiteral("not a hookscope store"), QStringLiteral("no schema"));
        if (version < SchemaVersion) {
            // Readers see the current schema: the store of an older hookscope is brought up to date first.
            HookStore upgrade;
            if (!upgrade.open(m_path, Mode::ReadWrite))
                return fail(QStringLiteral("cannot upgrade store"), upgrade.errorString());
        }
        return true;
    }

    // WAL lets readers (the table, `hookscope list`) run beside the writer.
    // synchronous=NORMAL: a committed transaction is in the WAL file before the
    // answer goes out, so it survives the process being killed; only a power
    // loss can take the last few commits back, never the file's integrity.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.exec(QStringLiteral("PRAGMA synchronous=NORMAL")))
        return fail(QStringLiteral("cannot configure store"), q.lastError().text());
    if (journalMode() != u"wal")
        return fail(QStringLiteral("cannot configure store"), QStringLiteral("WAL journal mode refused"));
    // When the log starts over, a file grown by a burst is cut back to this size.
    if (!q.exec(QStringLiteral("PRAGMA journal_size_limit=%1").arg(WalSizeLimit)))
        return fail(QStringLiteral("cannot configure store"), q.lastError().text());
    q.finish();   // a migration may end with VACUUM, which runs with no statement open
    if (version == 0 && !createSchema())
        return false;
    if (version > 0 && version < SchemaVersion && !migrate(version))
        return false;
    m_statements = std::make_unique<Statements>();
    m_statements->db = SqliteStatement::handleOf(db);
    // The writer and the checkpointer wait for each other only for moments (a
    // commit, the last frames of a checkpoint): poll finely instead of SQLite's
    // default back-off of up to 100 ms a step, which would hold answers that long.
    sqlite3_busy_handler(m_statements->db, [](void *, int attempts) {
        constexpr int StepUs = 100;
        constexpr int LimitUs = 5'000'000;
        if (attempts * StepUs >= LimitUs)
            return 0;
        ::usleep(StepUs);
        return 1;
    }, nullptr);
    if (!m_statements->begin.prepare(m_statements->db, "BEGIN IMMEDIATE")
        || !m_statements->commit.prepare(m_statements->db, "COMMIT")
        || !m_statements->rollback.prepare(m_statements->db, "ROLLBACK"))
        return fail(QStringLiteral("cannot prepare transactions"), m_statements->begin.errorString());
    if (!m_statements->insertHook.prepare(
            m_statements->db,
            "INSERT INTO hooks (id, received_us, peer_address, peer_port, method, target, version,"
            " headers, body, trailers, chunked, body_size, provider, event, action, secret, signature,"
            " problems, problem_count, answer_status, answer_headers, answer_body, origin, action_sent, rule, refusal,"
            " body_segment, body_offset, body_checksum)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        return fail(QStringLiteral("cannot prepare insert"), m_statements->insertHook.errorString());
    if (!m_statements->setIntakeThrough.prepare(
            m_statements->db,
            "INSERT INTO store_state (name, value) VALUES ('intake_through', ?)"
            " ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)"))
        return fail(QStringLiteral("cannot prepare insert"), m_statements->setIntakeThrough.errorString());
    return true;
}

void HookStore::settleIntake()
{
    const auto holds = [this](int segment) { return QFileInfo(IntakeJournal::segmentPath(m_path, segment)).size() > 0; };
    if (!holds(0) && !holds(1))
        return;
    IntakeJournal intake;
    switch (intake.open(m_path)) {
    case IntakeJournal::Lock::Taken: {
        // No writer holds it: the one that wrote it ended without taking it in (killed).
        HookStore writer;
        if (!writer.open(m_path, Mode::Writer) || !writer.foldIn(&intake, catalog::Catalog::builtin()))
            qWarning("%s", qPrintable(writer.errorString()));
        return;
    }
    case IntakeJournal::Lock::Busy: {
        // A writer runs and takes it in within moments; hooks it answered before
        // now are awaited, so that this connection finds them.
        const qint64 last = IntakeJournal::lastId(m_path);
        const QDeadlineTimer deadline(IntakeCatchUpMs);
        while (intakeThrough() < last && !deadline.hasExpired())
            QThread::usleep(500);
        return;
    }
    case IntakeJournal::Lock::Failed:
        // Nothing can be done from here (a read-only folder, say): SQLite holds what it holds.
        return;
    }
}

bool HookStore::foldIn(IntakeJournal *intake, const catalog::Catalog &catalog)
{
    qint64 dropped = 0;
    QList<Hook> hooks = intake->read(&dropped);
    if (dropped > 0) {
        qWarning("%s: cut off %lld bytes at the end of the intake, from a write that never finished (never answered)",
                 qPrintable(m_path), dropped);
    }
    // What SQLite holds already (and may have deleted since) stays out.
    const qint64 through = intakeThrough();
    hooks.removeIf([through](const Hook &hook) { return hook.id <= through; });
    for (Hook &hook : hooks) {
        if (hook.inspection.isRecognised() || hook.refused())
            continue;
        QString error;
        if (hook.bodyRef.isExternal() && !readLoggedBody(*m_bodies, hook.id, hook.bodyRef, &hook.body, &error)) {
            // Kept with its place all the same: every reader of it says what is lost.
            qWarning("%s: %s", qPrintable(m_path), qPrintable(error));
        }
        catalog.recognise(hook.headers, formats::meantBody(hook.body, hook.headers), &hook.inspection, hook.receivedUs);
        if (hook.bodyRef.isExternal())
            hook.body = QByteArray();   // read again when shown, not held for the whole fold
    }
    constexpr qsizetype BatchHooks = 4096;
    for (qsizetype start = 0; start < hooks.size(); start += BatchHooks) {
        QList<Hook> batch = hooks.sliced(start, std::min(BatchHooks, hooks.size() - start));
        if (!insertHooks(&batch, batch.constLast().id))
            return false;
    }
    intake->foldedThrough(std::max(through, hooks.isEmpty() ? qint64(0) : hooks.constLast().id));
    return true;
}

void HookStore::close()
{
    m_statements.reset();
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

bool HookStore::isOpen() const
{
    return !m_connection.isEmpty();
}

QString HookStore::journalMode() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next() ? q.value(0).toString().toLower() : QString();
}

int HookStore::synchronousLevel() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("PRAGMA synchronous")) && q.next() ? q.value(0).toInt() : -1;
}

int HookStore::schemaVersion() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
}

bool HookStore::createSchema()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const char *statements[] = {
        "CREATE TABLE hooks ("
        " id INTEGER PRIMARY KEY,"
        " received_us INTEGER NOT NULL,"
        " peer_address TEXT NOT NULL,"
        " peer_port INTEGER NOT NULL,"
        " method BLOB NOT NULL,"
        " target BLOB NOT NULL,"
        " version BLOB NOT NULL,"
        " headers BLOB NOT NULL,"
        " body BLOB NOT NULL,"
        " trailers BLOB NOT NULL,"
        " chunked INTEGER NOT NULL,"
        " body_size INTEGER NOT NULL,"
        " provider TEXT NOT NULL,"
        " event TEXT NOT NULL,"
        " action TEXT NOT NULL,"
        " secret INTEGER NOT NULL,"
        " signature INTEGER NOT NULL,"
        " problems TEXT NOT NULL,"
        " problem_count INTEGER NOT NULL,"
        " answer_status INTEGER NOT NULL,"
        " answer_headers BLOB NOT NULL,"
        " answer_body BLOB NOT NULL,"
        " forward_status INTEGER NOT NULL DEFAULT -1,"
        " origin INTEGER NOT NULL DEFAULT 0,"
        " action_sent TEXT NOT NULL DEFAULT '',"
        " rule TEXT NOT NULL DEFAULT '',"
        " refusal TEXT NOT NULL DEFAULT '',"
        HooksSchema7Columns ")",
        BodySegmentIndex,
        // Every index is one more page written per commit under load, so only
        // these two: time, and event with action (which also serves action
        // filters within an event). Ids already follow arrival order.
        "CREATE INDEX hooks_received ON hooks(received_us)",
        "CREATE INDEX hooks_event ON hooks(event, action)",
        "CREATE TABLE deliveries ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " hook_id INTEGER,"
        " kind TEXT NOT NULL,"
        " started_us INTEGER NOT NULL,"
        " duration_us INTEGER NOT NULL,"
        " method BLOB NOT NULL,"
        " url TEXT NOT NULL,"
        " request_headers BLOB NOT NULL,"
        " request_body BLOB NOT NULL,"
        " status INTEGER NOT NULL,"
        " reason BLOB NOT NULL,"
        " response_headers BLOB NOT NULL,"
        " response_body BLOB NOT NULL,"
        " error TEXT NOT NULL,"
        " attempt INTEGER NOT NULL DEFAULT 0,"
        DeliveriesSchema5Columns ")",
        "CREATE INDEX deliveries_hook ON deliveries(hook_id)",
        StoreStateTable,
    };
    if (!db.transaction())
        return fail(QStringLiteral("cannot create schema"), db.lastError().text());
    QSqlQuery q(db);
    for (const char *sql : statements) {
        if (!q.exec(QString::fromLatin1(sql))) {
            const QString detail = q.lastError().text();
            db.rollback();
            return fail(QStringLiteral("cannot create schema"), detail);
        }
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version=%1").arg(SchemaVersion)) || !db.commit()) {
        const QString detail = q.lastError().text();
        db.rollback();
        return fail(QStringLiteral("cannot create schema"), detail);
    }
    return true;
}

bool HookStore::migrate(int from)
{
    // 7 -> 8 writes to the body log, which only the store's one writer may do: a
    // writer of an older hookscope running beside us would number its segments
    // as if ours were not there, and delete ours as referred to by no hook before
    // our commit. So it runs here, in every open that writes, while this process
    // holds the intake's writer lock (the caller does in Writer mode); without it
    // the store stops at 7, which this build reads and writes as well, and the
    // next open that gets the lock goes on. It is a step of the schema and not of
    // StoreWriter so that the version says what the rows hold, and so that a
    // reader's upgrade (see connect()) moves the bodies too.
    IntakeJournal intake;
    const bool writesBodies = m_mode == Mode::Writer || intake.open(m_path) == IntakeJournal::Lock::Taken;
    const int to = writesBodies ? SchemaVersion : 7;
    if (from >= to)
        return true;
    // Each step takes the schema from version N to N + 1; all of them run in one
    // transaction, so a store is never left between two versions.
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return fail(QStringLiteral("cannot migrate store"), db.lastError().text());
    QSqlQuery q(db);
    qint64 movedBytes = 0;
    for (int version = from; version < to; ++version) {
        bool ok = false;
        switch (version) {
        case 1:   // 1 -> 2: the intake (see intake.h) and how far it is folded in
            ok = q.exec(QString::fromLatin1(StoreStateTable));
            break;
        case 2:   // 2 -> 3: imported hooks are told apart, an action's other spelling is kept (re-check
                  // older hooks to fill it in), a credential the provider does not use says so
            ok = q.exec(QStringLiteral("ALTER TABLE hooks ADD COLUMN origin INTEGER NOT NULL DEFAULT 0"))
                && q.exec(QStringLiteral("ALTER TABLE hooks ADD COLUMN action_sent TEXT NOT NULL DEFAULT ''"))
                && q.exec(QStringLiteral("ALTER TABLE deliveries ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0"))
                && q.exec(QStringLiteral("UPDATE hooks SET secret = %1 WHERE provider = 'github'").arg(int(catalog::Verdict::NotUsed)))
                && q.exec(QStringLiteral("UPDATE hooks SET signature = %1 WHERE provider = 'codewars'").arg(int(catalog::Verdict::NotUsed)));
            break;
        case 3:   // 3 -> 4: the answer rule that answered a hook
            ok = q.exec(QStringLiteral("ALTER TABLE hooks ADD COLUMN rule TEXT NOT NULL DEFAULT ''"));
            break;
        case 4: {   // 4 -> 5: deliveries keep their timings and the request head; a body sent unchanged
                    // is the hook's (older deliveries took no timings: total is their duration)
            ok = true;
            const QString columns = QString::fromLatin1(DeliveriesSchema5Columns);
            for (const QString &column : columns.split(u',')) {
                if (ok)
                    ok = q.exec(u"ALTER TABLE deliveries ADD COLUMN" + column);
            }
            ok = ok && q.exec(QStringLiteral("UPDATE deliveries SET total_us = duration_us"))
                && q.exec(QStringLiteral("UPDATE deliveries SET body_from_hook = 1, request_body = x''"
                                         " WHERE hook_id IS NOT NULL AND length(request_body) > 0 AND request_body ="
                                         " (SELECT body FROM hooks WHERE hooks.id = deliveries.hook_id)"));
            break;
        }
        case 5:   // 5 -> 6: requests the listener refused are kept too, with the reason it gave
            ok = q.exec(QStringLiteral("ALTER TABLE hooks ADD COLUMN refusal TEXT NOT NULL DEFAULT ''"));
            break;
        case 6: {   // 6 -> 7: large bodies in the body log; those stored before stay in their rows
            ok = true;
            const QString columns = QString::fromLatin1(HooksSchema7Columns);
            for (const QString &column : columns.split(u',')) {
                if (ok)
                    ok = q.exec(u"ALTER TABLE hooks ADD COLUMN" + column);
            }
            ok = ok && q.exec(QString::fromLatin1(BodySegmentIndex));
            break;
        }
        case 7: {   // 7 -> 8: the large bodies stored before 7 leave their rows for the body log
            QString detail;
            ok = moveBodiesToLog(SqliteStatement::handleOf(db), m_path, &movedBytes, &detail);
            if (!ok) {
                db.rollback();
                return fail(QStringLiteral("cannot migrate store from schema %1").arg(from), detail);
            }
            break;
        }
        default:
            break;
        }
        if (!ok) {
            const QString detail = q.lastError().text().isEmpty() ? QStringLiteral("unknown schema version %1").arg(version)
                                                                 : q.lastError().text();
            db.rollback();
            return fail(QStringLiteral("cannot migrate store from schema %1").arg(from), detail);
        }
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version=%1").arg(to)) || !db.commit()) {
        const QString detail = q.lastError().text();
        db.rollback();
        return fail(QStringLiteral("cannot migrate store from schema %1").arg(from), detail);
    }
    intake.close();
    if (movedBytes > 0)
        compact();
    return true;
}

void HookStore::compact()
{
    // The rows gave the pages of their bodies back to SQLite's free list, not to
    // the disk. When they are a good part of the file, it is rebuilt without them
    // (VACUUM copies only what is left, so it costs the size of the rows, not of
    // the bodies), and the WAL that carried the copy is folded in and cut back:
    // a migrated store does not take its bodies' space twice. A smaller share is
    // left for new rows to fill.
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    const auto pragma = [&q](const QString &name) { return q.exec(u"PRAGMA " + name) && q.next() ? q.value(0).toLongLong() : 0; };
    const qint64 pages = pragma(QStringLiteral("page_count"));
    const qint64 free = pragma(QStringLiteral("freelist_count"));
    q.finish();   // VACUUM runs only with no statement of this connection open
    if (pages == 0 || free * 4 < pages)
        return;
    if (!q.exec(QStringLiteral("VACUUM")) || !q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
        qWarning("%s: cannot give the space of the moved bodies back: %s", qPrintable(m_path), qPrintable(q.lastError().text()));
}

qint64 HookStore::intakeThrough() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    // A store of schema 1, opened read-only, has no such table: nothing was folded in.
    if (!q.exec(QStringLiteral("SELECT value FROM store_state WHERE name = 'intake_through'")) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

QByteArray HookStore::encodeHeaders(const http::HeaderList &headers)
{
    QByteArray out;
    encodeHeadersInto(&out, headers);
    return out;
}

void HookStore::encodeHeadersInto(QByteArray *out, const http::HeaderList &headers)
{
    qsizetype size = 0;
    for (const http::HeaderField &field : headers)
        size += field.name.size() + field.value.size() + 4;
    out->resize(size);
    char *p = out->data();
    const auto put = [&p](QByteArrayView bytes) {
        if (!bytes.isEmpty())
            std::memcpy(p, bytes.data(), size_t(bytes.size()));
        p += bytes.size();
    };
    for (const http::HeaderField &field : headers) {
        put(field.name);
        put(": ");
        put(field.value);
        put("\r\n");
    }
}

http::HeaderList HookStore::decodeHeaders(const QByteArray &encoded)
{
    http::HeaderList headers;
    qsizetype pos = 0;
    while (pos < encoded.size()) {
        qsizetype end = encoded.indexOf("\r\n", pos);
        if (end < 0)
            end = encoded.size();
        const QByteArrayView line = QByteArrayView(encoded).sliced(pos, end - pos);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0) {
            QByteArrayView value = line.sliced(colon + 1);
            if (value.startsWith(' '))
                value = value.sliced(1);
            headers.append({line.first(colon).toByteArray(), value.toByteArray()});
        }
        pos = end + 2;
    }
    return headers;
}

bool HookStore::insertHook(Hook *hook)
{
    QList<Hook> one{*hook};
    if (!insertHooks(&one))
        return false;
    hook->id = one.constFirst().id;
    return true;
}

bool HookStore::insertHooks(QList<Hook> *hooks, qint64 intakeThrough)
{
    if (!m_statements)
        return fail(QStringLiteral("cannot store hooks"), QStringLiteral("store is not open for writing"));
    if (intakeThrough <= 0) {
        // Hooks from elsewhere (imports, tests): a place in another store's log means nothing here.
        for (Hook &hook : *hooks)
            hook.bodyRef = {};
        if (m_bodyLog && !m_bodyLog->append(hooks))
            return fail(QStringLiteral("cannot store hooks"), m_bodyLog->errorString());
    }
    const bool ok = insertRows(hooks, intakeThrough);
    if (intakeThrough <= 0 && m_bodyLog)
        m_bodyLog->settled(*hooks);
    return ok;
}

bool HookStore::insertRows(QList<Hook> *hooks, qint64 intakeThrough)
{
    Statements &s = *m_statements;
    if (!s.begin.run())
        return fail(QStringLiteral("cannot store hooks"), s.begin.errorString());
    SqliteStatement &q = s.insertHook;
    for (Hook &hook : *hooks) {
        // Bound without copies: these locals and the hook outlive the run() below.
        const QByteArray &peer = s.peer.of(hook.peerAddress);
        encodeHeadersInto(&s.headers, hook.headers);
        encodeHeadersInto(&s.trailers, hook.trailers);
        const QByteArray &provider = s.provider.of(hook.inspection.provider);
        const QByteArray &event = s.event.of(hook.inspection.event);
        const QByteArray &action = s.action.of(hook.inspection.action);
        const QByteArray &sentAction = s.sentAction.of(hook.inspection.sentAction);
        const QByteArray problems = problemsText(hook.inspection.problems).toUtf8();
        encodeHeadersInto(&s.answerHeaders, hook.answer.headers);
        if (hook.id > 0)
            q.bind(1, hook.id);
        else
            q.bindNull(1);
        q.bind(2, hook.receivedUs);
        q.bindStaticText(3, peer);
        q.bind(4, qint64(hook.peerPort));
        q.bindStatic(5, hook.method);
        q.bindStatic(6, hook.target);
        q.bindStatic(7, hook.version);
        q.bindStatic(8, s.headers);
        const Hook::BodyRef &ref = hook.bodyRef;
        q.bindStatic(9, ref.isExternal() ? QByteArrayView("") : QByteArrayView(hook.body));
        q.bindStatic(10, s.trailers);
        q.bind(11, qint64(hook.chunked ? 1 : 0));
        q.bind(12, ref.isExternal() ? ref.size : qint64(hook.body.size()));
        q.bindStaticText(13, provider);
        q.bindStaticText(14, event);
        q.bindStaticText(15, action);
        q.bind(16, qint64(hook.inspection.secret));
        q.bind(17, qint64(hook.inspection.signature));
        q.bindStaticText(18, problems);
        q.bind(19, qint64(hook.inspection.problems.size()));
        q.bind(20, qint64(hook.answer.status));
        q.bindStatic(21, s.answerHeaders);
        q.bindStatic(22, hook.answer.body);
        q.bind(23, qint64(hook.origin));
        q.bindStaticText(24, sentAction);
        q.bindStaticText(25, s.rule.of(hook.answerRule));
        q.bindStaticText(26, s.refusal.of(hook.refusal));
        q.bind(27, ref.segment);
        q.bind(28, ref.offset);
        q.bind(29, qint64(ref.checksum));
        if (!q.run()) {
            const QString detail = q.errorString();
            s.rollback.run();
            return fail(QStringLiteral("cannot store hooks"), detail);
        }
        if (hook.id <= 0)
            hook.id = q.lastInsertRowId();
    }
    if (intakeThrough > 0) {
        s.setIntakeThrough.bind(1, intakeThrough);
        if (!s.setIntakeThrough.run()) {
            const QString detail = s.setIntakeThrough.errorString();
            s.rollback.run();
            return fail(QStringLiteral("cannot store hooks"), detail);
        }
    }
    if (!s.commit.run()) {
        const QString detail = s.commit.errorString();
        s.rollback.run();
        return fail(QStringLiteral("cannot store hooks"), detail);
    }
    return true;
}

std::optional<Hook> HookStore::hook(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT " + QLatin1StringView(HookColumns) + u" FROM hooks WHERE id = ?");
    q.addBindValue(id);
    if (!q.exec()) {
        fail(QStringLiteral("cannot read hook %1").arg(id), q.lastError().text());
        return std::nullopt;
    }
    if (!q.next()) {
        fail(QStringLiteral("no hook with id %1").arg(id), QStringLiteral("not in the store"));
        return std::nullopt;
    }
    Hook hook = readHook(q);
    if (!loadBody(&hook))
        return std::nullopt;
    return hook;
}

bool HookStore::loadBody(Hook *hook) const
{
    if (!hook->bodyRef.isExternal())
        return true;
    QString error;
    if (!readLoggedBody(*m_bodies, hook->id, hook->bodyRef, &hook->body, &error))
        return fail(QStringLiteral("cannot read hook %1").arg(hook->id), error);
    // Where the bytes were is the store's business, not its readers'.
    hook->bodyRef = {};
    return true;
}

QList<Hook> HookStore::hooks(const HookQuery &query) const
{
    QList<Hook> result;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const MatchContext match{&query, m_bodies.get()};
    if (!registerMatcher(SqliteStatement::handleOf(db), match)) {
        fail(QStringLiteral("cannot read hooks"), QStringLiteral("cannot set up the search"));
        return result;
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT " + QLatin1StringView(HookColumns) + u" FROM hooks" + whereClause(query) + tail(query));
    for (const QVariant &value : bindValues(query))
        q.addBindValue(value);
    if (!q.exec()) {
        fail(QStringLiteral("cannot read hooks"), q.lastError().text());
        return result;
    }
    while (q.next()) {
        Hook hook = readHook(q);
        // A body that is lost fails the whole read, by name: never a hook with other bytes.
        if (!loadBody(&hook))
            return {};
        result.append(std::move(hook));
    }
    return result;
}

bool HookStore::forEachRow(const HookQuery &query, const std::function<bool(const HookRow &)> &callback) const
{
    SqliteStatement q;
    const QByteArray sql = "SELECT id, received_us, method, target, event, action, provider, secret, signature,"
                           " body_size, answer_status, forward_status, problem_count, origin, action_sent, rule,"
                           " refusal <> '' FROM hooks"
        + (whereClause(query) + tail(query)).toUtf8();
    sqlite3 *db = SqliteStatement::handleOf(QSqlDatabase::database(m_connection, false));
    const MatchContext match{&query, m_bodies.get()};
    if (!registerMatcher(db, match))
        return fail(QStringLiteral("cannot read hooks"), QStringLiteral("cannot set up the search"));
    if (!q.prepare(db, sql))
        return fail(QStringLiteral("cannot read hooks"), q.errorString());
    int index = 1;
    for (const QVariant &value : bindValues(query)) {
        if (value.typeId() == QMetaType::QString)
            q.bind(index++, value.toString());
        else if (value.typeId() == QMetaType::QByteArray)
            q.bind(index++, value.toByteArray());
        else
            q.bind(index++, value.toLongLong());
    }

    HookRow row;
    // Neighbouring rows mostly share these strings: keep the previous copy
    // when the bytes are the same, so a million rows cost few allocations.
    const auto reuse = [&q](int column, auto &value) {
        if (!q.sameBytes(column, value))
            value = q.value<std::decay_t<decltype(value)>>(column);
    };
    while (q.step()) {
        row.id = q.int64(0);
        row.receivedUs = q.int64(1);
        reuse(2, row.method);
        reuse(3, row.target);
        reuse(4, row.event);
        reuse(5, row.action);
        reuse(6, row.provider);
        row.secret = catalog::Verdict(q.int64(7));
        row.signature = catalog::Verdict(q.int64(8));
        row.authenticity = catalog::Inspection::authenticityOf(row.provider, row.secret, row.signature);
        row.size = q.int64(9);
        row.status = int(q.int64(10));
        row.forwardStatus = int(q.int64(11));
        row.problems = int(q.int64(12));
        row.origin = Hook::Origin(q.int64(13));
        reuse(14, row.actionSent);
        reuse(15, row.answerRule);
        row.refused = q.int64(16) != 0;
        if (!callback(row))
            return true;
    }
    return q.ok() || fail(QStringLiteral("cannot read hooks"), q.errorString());
}

qint64 HookStore::count() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("SELECT count(*) FROM hooks")) && q.next() ? q.value(0).toLongLong() : 0;
}

qint64 HookStore::maxId() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM hooks")) && q.next() ? q.value(0).toLongLong() : 0;
}

static QStringList distinctColumn(const QString &connection, const QString &column)
{
    QStringList values;
    QSqlQuery q(QSqlDatabase::database(connection, false));
    if (q.exec(u"SELECT DISTINCT " + column + u" FROM hooks WHERE " + column + u" <> '' ORDER BY 1")) {
        while (q.next())
            values.append(q.value(0).toString());
    }
    return values;
}

QStringList HookStore::distinctEvents() const
{
    return distinctColumn(m_connection, QStringLiteral("event"));
}

QStringList HookStore::distinctActions() const
{
    return distinctColumn(m_connection, QStringLiteral("action"));
}

bool HookStore::removeHooks(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return fail(QStringLiteral("cannot delete hooks"), db.lastError().text());
    QSqlQuery hooksQuery(db);
    QSqlQuery deliveriesQuery(db);
    hooksQuery.prepare(QStringLiteral("DELETE FROM hooks WHERE id = ?"));
    deliveriesQuery.prepare(QStringLiteral("DELETE FROM deliveries WHERE hook_id = ?"));
    for (qint64 id : ids) {
        hooksQuery.addBindValue(id);
        deliveriesQuery.addBindValue(id);
        if (!hooksQuery.exec() || !deliveriesQuery.exec()) {
            const QString detail = hooksQuery.lastError().text() + deliveriesQuery.lastError().text();
            db.rollback();
            return fail(QStringLiteral("cannot delete hooks"), detail);
        }
    }
    if (!db.commit())
        return fail(QStringLiteral("cannot delete hooks"), db.lastError().text());
    reclaimBodies();
    return true;
}

bool HookStore::updateInspections(const QList<Hook> &hooks)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return fail(QStringLiteral("cannot update hooks"), db.lastError().text());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE hooks SET provider = ?, event = ?, action = ?, action_sent = ?, secret = ?, signature = ?,"
                             " problems = ?, problem_count = ? WHERE id = ?"));
    for (const Hook &hook : hooks) {
        const catalog::Inspection &in = hook.inspection;
        q.addBindValue(text(in.provider));
        q.addBindValue(text(in.event));
        q.addBindValue(text(in.action));
        q.addBindValue(text(in.sentAction));
        q.addBindValue(int(in.secret));
        q.addBindValue(int(in.signature));
        q.addBindValue(text(problemsText(in.problems)));
        q.addBindValue(int(in.problems.size()));
        q.addBindValue(hook.id);
        if (!q.exec()) {
            const QString detail = q.lastError().text();
            db.rollback();
            return fail(QStringLiteral("cannot update hooks"), detail);
        }
    }
    return db.commit() || fail(QStringLiteral("cannot update hooks"), db.lastError().text());
}

bool HookStore::clear()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    if (!db.transaction() || !q.exec(QStringLiteral("DELETE FROM deliveries")) || !q.exec(QStringLiteral("DELETE FROM hooks"))
        || !db.commit()) {
        const QString detail = q.lastError().text();
        db.rollback();
        return fail(QStringLiteral("cannot clear store"), detail);
    }
    reclaimBodies();
    return true;
}

bool HookStore::prune(qint64 keep, qint64 olderThanUs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    bool ok = db.transaction();
    if (ok && keep > 0) {
        q.prepare(QStringLiteral("DELETE FROM hooks WHERE id <= (SELECT id FROM hooks ORDER BY id DESC LIMIT 1 OFFSET ?)"));
        q.addBindValue(keep);
        ok = q.exec();
    }
    if (ok && olderThanUs > 0) {
        q.prepare(QStringLiteral("DELETE FROM hooks WHERE received_us < ?"));
        q.addBindValue(olderThanUs);
        ok = q.exec();
    }
    if (ok)
        ok = q.exec(QStringLiteral("DELETE FROM deliveries WHERE hook_id IS NOT NULL AND hook_id NOT IN (SELECT id FROM hooks)"));
    if (!ok || !db.commit()) {
        const QString detail = q.lastError().text();
        db.rollback();
        return fail(QStringLiteral("cannot prune store"), detail);
    }
    reclaimBodies();
    return true;
}

qint64 HookStore::reclaimBodies()
{
    if (!m_bodyLog)
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT DISTINCT body_segment FROM hooks WHERE body_segment > 0")))
        return 0;
    QSet<qint64> referenced;
    while (q.next())
        referenced.insert(q.value(0).toLongLong());
    return m_bodyLog->reclaim(referenced);
}

qint64 HookStore::lastBodySegment() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("SELECT coalesce(max(body_segment), 0) FROM hooks WHERE body_segment > 0")) && q.next()
        ? q.value(0).toLongLong() : 0;
}

QString HookStore::checkBodyLog() const
{
    // Each segment must reach at least to the end of the last body it holds; the
    // bytes themselves are checked against their checksum whenever they are read.
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT body_segment, max(body_offset + body_size) FROM hooks WHERE body_segment > 0"
                               " GROUP BY body_segment")))
        return q.lastError().text();
    QStringList damage;
    QSqlQuery lost(QSqlDatabase::database(m_connection, false));
    lost.prepare(QStringLiteral("SELECT id FROM hooks WHERE body_segment = ? AND body_offset + body_size > ? ORDER BY id"));
    while (q.next()) {
        const qint64 segment = q.value(0).toLongLong();
        const QString path = BodyLog::segmentPath(m_path, segment);
        const QFileInfo file(path);
        const qint64 size = file.exists() ? file.size() : -1;
        if (size >= q.value(1).toLongLong())
            continue;
        lost.addBindValue(segment);
        lost.addBindValue(std::max<qint64>(size, 0));
        QStringList ids;
        if (lost.exec()) {
            while (lost.next())
                ids.append(lost.value(0).toString());
        }
        damage.append(QStringLiteral("%1 %2: the bodies of %3 hooks are lost (ids %4)")
                          .arg(path, size < 0 ? QStringLiteral("is missing") : QStringLiteral("ends at byte %1").arg(size),
                               QString::number(ids.size()), ids.join(QStringLiteral(", "))));
    }
    return damage.join(u'\n');
}

bool HookStore::addDelivery(Delivery *delivery)
{
    QList<Delivery> one{*delivery};
    if (!addDeliveries(&one))
        return false;
    *delivery = one.constFirst();
    return true;
}

bool HookStore::addDeliveries(QList<Delivery> *deliveries)
{
    if (!m_statements)
        return fail(QStringLiteral("cannot store delivery"), QStringLiteral("store is not open for writing"));
    Statements &s = *m_statements;
    // Prepared once for the connection: a replay of thousands stores them in batches.
    if (!s.insertDelivery.isPrepared()
        && (!s.insertDelivery.prepare(
                s.db, "INSERT INTO deliveries (hook_id, kind, started_us, duration_us, method, url, request_headers,"
                      " request_body, status, reason, response_headers, response_body, error, attempt,"
                      " request_head, body_from_hook, dns_us, connect_us, tls_us, first_byte_us, total_us)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            || !s.sameBody.prepare(s.db, "SELECT body = ?, body_segment, body_offset, body_size, body_checksum FROM hooks WHERE id = ?")
            || !s.setForwardStatus.prepare(s.db, "UPDATE hooks SET forward_status = ? WHERE id = ?"))) {
        const QString detail = s.insertDelivery.errorString() + s.sameBody.errorString() + s.setForwardStatus.errorString();
        s.insertDelivery.finalize();
        return fail(QStringLiteral("cannot store delivery"), detail);
    }
    if (!s.begin.run())
        return fail(QStringLiteral("cannot store delivery"), s.begin.errorString());
    QString detail;
    for (Delivery &delivery : *deliveries) {
        if (!insertDelivery(&delivery, &detail)) {
            s.rollback.run();
            return fail(QStringLiteral("cannot store delivery"), detail);
        }
    }
    if (!s.commit.run()) {
        detail = s.commit.errorString();
        s.rollback.run();
        return fail(QStringLiteral("cannot store delivery"), detail);
    }
    return true;
}

bool HookStore::insertDelivery(Delivery *delivery, QString *error)
{
    Statements &s = *m_statements;
    // A body that is its hook's, byte for byte, is not stored again.
    bool bodyFromHook = false;
    if (delivery->hookId > 0 && !delivery->requestBody.isEmpty()) {
        // Compared in SQLite for a body in its row; a body in the body log is
        // read back only when its size and checksum already agree.
        s.sameBody.bindStatic(1, delivery->requestBody);
        s.sameBody.bind(2, delivery->hookId);
        if (s.sameBody.step()) {
            const Hook::BodyRef ref{s.sameBody.int64(1), s.sameBody.int64(2), s.sameBody.int64(3), quint64(s.sameBody.int64(4))};
            if (!ref.isExternal())
                bodyFromHook = s.sameBody.int64(0) != 0;
            else if (ref.size == delivery->requestBody.size() && ref.checksum == BodyLog::checksum(delivery->requestBody)) {
                QByteArray body;
                QString unreadable;   // then the delivery keeps its own copy
                bodyFromHook = m_bodies->read(ref, &body, &unreadable) && body == delivery->requestBody;
            }
        }
        s.sameBody.reset();
    }
    // Bound without copies: these locals and the delivery outlive the run() below.
    const QByteArray kind = deliveryKindName(delivery->kind).toUtf8();
    const QByteArray url = delivery->url.toUtf8();
    encodeHeadersInto(&s.headers, delivery->requestHeaders);
    encodeHeadersInto(&s.answerHeaders, delivery->responseHeaders);
    const QByteArray failure = delivery->error.toUtf8();
    SqliteStatement &q = s.insertDelivery;
    if (delivery->hookId > 0)
        q.bind(1, delivery->hookId);
    else
        q.bindNull(1);
    q.bindStaticText(2, kind);
    q.bind(3, delivery->startedUs);
    q.bind(4, delivery->durationUs);
    q.bindStatic(5, delivery->method);
    q.bindStaticText(6, url);
    q.bindStatic(7, s.headers);
    q.bindStatic(8, bodyFromHook ? QByteArrayView() : QByteArrayView(delivery->requestBody));
    q.bind(9, qint64(delivery->status));
    q.bindStatic(10, delivery->reason);
    q.bindStatic(11, s.answerHeaders);
    q.bindStatic(12, delivery->responseBody);
    q.bindStaticText(13, failure);
    q.bind(14, qint64(delivery->attempt));
    q.bindStatic(15, delivery->requestHead);
    q.bind(16, qint64(bodyFromHook ? 1 : 0));
    const DeliveryTimings &t = delivery->timings;
    int column = 17;
    for (const qint64 at : {t.dnsUs, t.connectUs, t.tlsUs, t.firstByteUs, t.totalUs})
        q.bind(column++, at);
    if (!q.run()) {
        *error = q.errorString();
        return false;
    }
    delivery->id = q.lastInsertRowId();
    if (delivery->kind == Delivery::Kind::Forward && delivery->hookId > 0) {
        s.setForwardStatus.bind(1, qint64(delivery->error.isEmpty() ? delivery->status : 0));
        s.setForwardStatus.bind(2, delivery->hookId);
        if (!s.setForwardStatus.run()) {
            *error = s.setForwardStatus.errorString();
            return false;
        }
    }
    return true;
}

QList<Delivery> HookStore::readDeliveries(QSqlQuery &q) const
{
    QList<Delivery> result;
    while (q.next()) {
        Delivery d;
        d.id = q.value(0).toLongLong();
        d.hookId = q.value(1).toLongLong();
        deliveryKindFromName(q.value(2).toString(), &d.kind);
        d.startedUs = q.value(3).toLongLong();
        d.durationUs = q.value(4).toLongLong();
        d.method = q.value(5).toByteArray();
        d.url = q.value(6).toString();
        d.requestHeaders = HookStore::decodeHeaders(q.value(7).toByteArray());
        d.requestBody = q.value(8).toByteArray();
        d.status = q.value(9).toInt();
        d.reason = q.value(10).toByteArray();
        d.responseHeaders = HookStore::decodeHeaders(q.value(11).toByteArray());
        d.responseBody = q.value(12).toByteArray();
        d.error = q.value(13).toString();
        d.attempt = q.value(14).toInt();
        d.requestHead = q.value(15).toByteArray();
        d.timings = {q.value(16).toLongLong(), q.value(17).toLongLong(), q.value(18).toLongLong(),
                     q.value(19).toLongLong(), q.value(20).toLongLong()};
        const Hook::BodyRef hookBody = bodyRefAt(q, 21);
        QString error;
        if (hookBody.isExternal() && !m_bodies->read(hookBody, &d.requestBody, &error)) {
            fail(QStringLiteral("cannot read delivery %1").arg(d.id), QStringLiteral("the body of hook %1 is lost: %2").arg(d.hookId).arg(error));
            return {};
        }
        result.append(d);
    }
    return result;
}

// A body taken from the hook reads as the hook's body (empty once the hook is gone),
// from the body log when it is there.
static constexpr auto DeliveryColumns =
    "SELECT d.id, d.hook_id, d.kind, d.started_us, d.duration_us, d.method, d.url, d.request_headers,"
    " CASE WHEN d.body_from_hook THEN coalesce(h.body, x'') ELSE d.request_body END,"
    " d.status, d.reason, d.response_headers, d.response_body, d.error, d.attempt,"
    " d.request_head, d.dns_us, d.connect_us, d.tls_us, d.first_byte_us, d.total_us,"
    " coalesce(h.body_segment, 0), coalesce(h.body_offset, 0), coalesce(h.body_size, 0), coalesce(h.body_checksum, 0)"
    " FROM deliveries d LEFT JOIN hooks h ON d.body_from_hook AND h.id = d.hook_id";

bool HookStore::queryDeliveries(QSqlQuery &q, QLatin1StringView columns, const QString &where, const QVariantList &values) const
{
    q.setForwardOnly(true);
    q.prepare(columns + where);
    for (const QVariant &value : values)
        q.addBindValue(value);
    return q.exec() || fail(QStringLiteral("cannot read deliveries"), q.lastError().text());
}

QList<Delivery> HookStore::deliveries(qint64 hookId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return queryDeliveries(q, QLatin1StringView(DeliveryColumns), QStringLiteral(" WHERE d.hook_id = ? ORDER BY d.id"), {hookId})
        ? readDeliveries(q) : QList<Delivery>();
}

QList<Delivery> HookStore::recentDeliveries(Delivery::Kind kind, int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return queryDeliveries(q, QLatin1StringView(DeliveryColumns), QStringLiteral(" WHERE d.kind = ? ORDER BY d.id DESC LIMIT ?"),
                           {deliveryKindName(kind), limit})
        ? readDeliveries(q) : QList<Delivery>();
}

// The columns of a delivery for a list: the sizes of its bodies, never their
// bytes (length() of a blob is read from the row's header).
static constexpr auto DeliveryRowColumns =
    "SELECT id, hook_id, kind, started_us, duration_us, method, url,"
    " CASE WHEN body_from_hook THEN coalesce((SELECT body_size FROM hooks WHERE hooks.id = deliveries.hook_id), 0)"
    " ELSE length(request_body) END,"
    " status, reason, length(response_body), error, attempt, dns_us, connect_us, tls_us, first_byte_us, total_us"
    " FROM deliveries";

static QList<DeliveryRow> readDeliveryRows(QSqlQuery &q)
{
    QList<DeliveryRow> result;
    while (q.next()) {
        DeliveryRow d;
        d.id = q.value(0).toLongLong();
        d.hookId = q.value(1).toLongLong();
        deliveryKindFromName(q.value(2).toString(), &d.kind);
        d.startedUs = q.value(3).toLongLong();
        d.durationUs = q.value(4).toLongLong();
        d.method = q.value(5).toByteArray();
        d.url = q.value(6).toString();
        d.requestBodySize = q.value(7).toLongLong();
        d.status = q.value(8).toInt();
        d.reason = q.value(9).toByteArray();
        d.responseBodySize = q.value(10).toLongLong();
        d.error = q.value(11).toString();
        d.attempt = q.value(12).toInt();
        d.timings = {q.value(13).toLongLong(), q.value(14).toLongLong(), q.value(15).toLongLong(),
                     q.value(16).toLongLong(), q.value(17).toLongLong()};
        result.append(d);
    }
    return result;
}

QList<DeliveryRow> HookStore::deliveryRows(qint64 hookId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return queryDeliveries(q, QLatin1StringView(DeliveryRowColumns), QStringLiteral(" WHERE hook_id = ? ORDER BY id"), {hookId})
        ? readDeliveryRows(q) : QList<DeliveryRow>();
}

QList<DeliveryRow> HookStore::recentDeliveryRows(Delivery::Kind kind, int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return queryDeliveries(q, QLatin1StringView(DeliveryRowColumns), QStringLiteral(" WHERE kind = ? ORDER BY id DESC LIMIT ?"),
                           {deliveryKindName(kind), limit})
        ? readDeliveryRows(q) : QList<DeliveryRow>();
}

std::optional<Delivery> HookStore::delivery(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QLatin1StringView(DeliveryColumns) + u" WHERE d.id = ?");
    q.addBindValue(id);
    if (!q.exec()) {
        fail(QStringLiteral("cannot read delivery %1").arg(id), q.lastError().text());
        return std::nullopt;
    }
    const QList<Delivery> found = readDeliveries(q);
    if (found.isEmpty()) {
        if (m_error.isEmpty())
            fail(QStringLiteral("no delivery with id %1").arg(id), QStringLiteral("not in the store"));
        return std::nullopt;
    }
    return found.constFirst();
}

bool HookStore::integrityCheck(QString *report) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA integrity_check"))) {
        *report = q.lastError().text();
        return false;
    }
    QStringList lines;
    while (q.next())
        lines.append(q.value(0).toString());
    if (const QString bodies = checkBodyLog(); !bodies.isEmpty())
        lines.append(bodies);
    else if (q.exec(QStringLiteral("SELECT id, body_segment, body_offset, body_size, body_checksum FROM hooks WHERE body_segment > 0"))) {
        while (q.next()) {
            QByteArray body;
            QString error;
            if (!readLoggedBody(*m_bodies, q.value(0).toLongLong(), bodyRefAt(q, 1), &body, &error))
                lines.append(error);
        }
    }
    *report = lines.join(u'\n');
    return lines == QStringList{QStringLiteral("ok")};
}

bool HookStore::setAutoCheckpoint(int pages)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(pages))
        || fail(QStringLiteral("cannot configure checkpoints"), q.lastError().text());
}

qint64 HookStore::checkpoint(Checkpoint mode)
{
    if (!m_statements) {
        fail(QStringLiteral("cannot checkpoint"), QStringLiteral("store is not open for writing"));
        return -1;
    }
    const int sqliteMode = mode == Checkpoint::Passive ? SQLITE_CHECKPOINT_PASSIVE
        : mode == Checkpoint::Restart                  ? SQLITE_CHECKPOINT_RESTART
                                                       : SQLITE_CHECKPOINT_TRUNCATE;
    int logFrames = 0;
    int copiedFrames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_statements->db, nullptr, sqliteMode, &logFrames, &copiedFrames);
    // BUSY: a reader or the writer held on for longer than the busy timeout; the
    // frames copied so far stay copied and the next round goes on from there.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        fail(QStringLiteral("cannot checkpoint"), QString::fromUtf8(sqlite3_errmsg(m_statements->db)));
        return -1;
    }
    return logFrames;
}

qint64 HookStore::setMaxPageCount(qint64 pages)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("PRAGMA max_page_count=%1").arg(pages)) && q.next() ? q.value(0).toLongLong() : -1;
}
