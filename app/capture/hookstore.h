#pragma once

#include "delivery.h"
#include "hook.h"
#include "hookquery.h"

#include "catalog/catalog.h"

class BodyLog;
class BodyReader;
class IntakeJournal;
class QSqlQuery;
class QThread;

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>

// What the capture table keeps per hook: no bodies, no header lists.
struct HookRow
{
    qint64 id = 0;
    qint64 receivedUs = 0;
    QByteArray method;
    QByteArray target;
    QString provider;
    QString event;
    QString action;
    QString actionSent;      // the spelling the hook carried, when it is another name of action
    catalog::Verdict secret = catalog::Verdict::NotConfigured;
    catalog::Verdict signature = catalog::Verdict::NotConfigured;
    catalog::Verdict authenticity = catalog::Verdict::NotConfigured;
    qint64 size = 0;
    int status = 0;
    int forwardStatus = -1;  // -1: not forwarded, 0: forward failed without an answer, else the status
    int problems = 0;
    Hook::Origin origin = Hook::Origin::Captured;
    QString answerRule;
    bool refused = false;    // the listener refused the request (see Hook::refusal)
};

// The SQLite store of hooks and deliveries. One instance is one database
// connection and must be used from one thread only; open one per thread.
class HookStore
{
public:
    // Writer: read-write, for the connections of the store's one writer, which
    // holds its intake (see StoreWriter). The others see, from the moment open() returns, every hook
    // answered before: an intake left by a killed writer is taken in, and a
    // running writer is given the moments it needs to catch up.
    enum class Mode { ReadWrite, ReadOnly, Writer };
    // How long open() waits at most for a running writer to catch up.
    static constexpr int IntakeCatchUpMs = 2000;
    static constexpr int SchemaVersion = 8;
    // The WAL file is cut back to this size whenever the log starts over.
    static constexpr qint64 WalSizeLimit = 64 * 1024 * 1024;

    HookStore();
    ~HookStore();
    HookStore(const HookStore &) = delete;
    HookStore &operator=(const HookStore &) = delete;

    // Marks a thread (the GUI's) as one that must never run SQL: every statement
    // run there on a connection opened afterwards is counted, reported with a
    // warning and, in a debug build, stops the program.
    static void forbidQueriesOn(QThread *thread);
    static int forbiddenQueries();

    bool open(const QString &path, Mode mode = Mode::ReadWrite);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    void clearError() { m_error.clear(); }

    // Read back from SQLite, not what was asked for.
    QString journalMode() const;
    int synchronousLevel() const;   // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    int schemaVersion() const;

    // One transaction for the whole batch. Hooks with id 0 get one from SQLite,
    // written back into the list (which only the holder of the store's writer
    // lock may do: see StoreWriter). intakeThrough > 0: these hooks come from
    // the intake, which is then folded in up to that id (see intake.h).
    bool insertHooks(QList<Hook> *hooks, qint64 intakeThrough = 0);
    // The last id of the intake that SQLite holds (0: none).
    qint64 intakeThrough() const;
    // Takes in what the intake holds beyond that (for the writer, once it holds
    // the intake), recognising each hook with this catalog.
    bool foldIn(IntakeJournal *intake, const catalog::Catalog &catalog);
    bool insertHook(Hook *hook);

    // For the store's writer: large bodies of hooks inserted from elsewhere than
    // the intake (imports) go to this body log too, and deletes free the space of
    // the segments no hook refers to any more (see bodylog.h).
    void setBodyLog(BodyLog *log) { m_bodyLog = log; }
    // Deletes the body log's segments no hook refers to; returns the bytes freed.
    qint64 reclaimBodies();
    // The highest segment of the body log a hook refers to (0: none).
    qint64 lastBodySegment() const;
    // What of the body log is missing or cut short, by hook: empty when all is there.
    QString checkBodyLog() const;

    std::optional<Hook> hook(qint64 id) const;
    QList<Hook> hooks(const HookQuery &query) const;
    // Streams the compact rows in id order; stops early when the callback returns false.
    bool forEachRow(const HookQuery &query, const std::function<bool(const HookRow &)> &callback) const;
    qint64 count() const;
    qint64 maxId() const;
    QStringList distinctEvents() const;
    QStringList distinctActions() const;

    bool removeHooks(const QList<qint64> &ids);
    // Stores the inspection of each hook (by id) anew: provider, event, action, verdicts, problems.
    bool updateInspections(const QList<Hook> &hooks);
    bool clear();
    // Retention: keep only the newest `keep` hooks (when > 0) and none older than `olderThanUs` (when > 0).
    bool prune(qint64 keep, qint64 olderThanUs);

    bool addDelivery(Delivery *delivery);
    // Several in one transaction (all or none); each gets its id.
    bool addDeliveries(QList<Delivery> *deliveries);
    QList<Delivery> deliveries(qint64 hookId) const;
    // The newest deliveries of one kind, newest first.
    QList<Delivery> recentDeliveries(Delivery::Kind kind, int limit) const;
    // The same as rows for a list: no body is read, only its size.
    QList<DeliveryRow> deliveryRows(qint64 hookId) const;
    QList<DeliveryRow> recentDeliveryRows(Delivery::Kind kind, int limit) const;
    // One delivery in full, bodies and all; nullopt (with errorString()) when it is not stored.
    std::optional<Delivery> delivery(qint64 id) const;

    bool integrityCheck(QString *report) const;

    // Folding the WAL back into the database: the writer turns its automatic
    // checkpoints off and a connection on another thread checkpoints instead,
    // so a commit never waits for one.
    //   Passive:  copies what it can, never waits for the writer or readers.
    //   Restart:  also waits until the writer can start the log over from its
    //             beginning, which a busy writer never gets to after Passive ones.
    //   Truncate: Restart, and the log file shrinks to nothing (on close).
    // Returns the size of the log in frames (pages), or -1 on failure.
    enum class Checkpoint { Passive, Restart, Truncate };
    bool setAutoCheckpoint(int pages);
    qint64 checkpoint(Checkpoint mode = Checkpoint::Passive);

    // For tests: caps the database at this many pages (SQLite's max_page_count on
    // this connection, never below the pages in use), so that writes fail as on a
    // full disk. Returns the cap in effect, -1 on failure.
    qint64 setMaxPageCount(qint64 pages);

    static QByteArray encodeHeaders(const http::HeaderList &headers);
    // The same into *out, which keeps its capacity from one hook to the next.
    static void encodeHeadersInto(QByteArray *out, const http::HeaderList &headers);
    static http::HeaderList decodeHeaders(const QByteArray &encoded);

private:
    bool insertDelivery(Delivery *delivery, QString *error);
    bool insertRows(QList<Hook> *hooks, qint64 intakeThrough);
    // Reads the body of a hook whose bytes are in the body log.
    bool loadBody(Hook *hook) const;
    QList<Delivery> readDeliveries(QSqlQuery &q) const;
    // Runs columns + where with these values bound; false (and the error set) when it fails.
    bool queryDeliveries(QSqlQuery &q, QLatin1StringView columns, const QString &where, const QVariantList &values) const;
    bool connect();
    void settleIntake();
    bool createSchema();
    bool migrate(int from);
    void compact();
    bool fail(const QString &what, const QString &detail) const;

    QString m_connection;
    QString m_path;
    mutable QString m_error;
    Mode m_mode = Mode::ReadWrite;
    struct Statements;
    std::unique_ptr<Statements> m_statements;
    std::unique_ptr<BodyReader> m_bodies;
    BodyLog *m_bodyLog = nullptr;
};
