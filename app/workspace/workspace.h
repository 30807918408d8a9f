#pragma once

#include "exportformat.h"

#include "capture/delivery.h"
#include "capture/hook.h"
#include "capture/hookquery.h"
#include "capture/hookstore.h"
#include "capture/listenerconfig.h"
#include "catalog/catalog.h"
#include "delivery/draft.h"
#include "delivery/replay.h"
#include "delivery/retryschedule.h"
#include "relay/smeechannel.h"
#include "relay/tunnel.h"

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QSet>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class Forwarder;
class Listener;
class QNetworkAccessManager;
class Sender;
class StoreWriter;

namespace workspace {

// A value read from the store, or why it could not be.
template<typename T>
struct Fetched
{
    T value{};
    QString error;
    bool ok() const { return error.isEmpty(); }
};

// What a write did: how many hooks it touched (and which), or why it failed.
struct Outcome
{
    QString error;
    qint64 count = 0;
    QList<qint64> ids;
    bool ok() const { return error.isEmpty(); }
};

// A replay of several hooks: a delivery per hook sent, in the order asked for.
struct ReplayOutcome
{
    QList<Delivery> deliveries;
    QList<qint64> missing;   // ids not in the store (then nothing was sent)
    QList<qint64> keptId;    // asked for a fresh delivery id, these went with theirs (they have none)
    QStringList keptIdWhy;   // why, once per reason ("Codewars hooks carry no delivery id")
    QString error;           // the store could not be read
    int succeeded() const;
};

// The application layer under both front ends (the window and the command line).
// It owns the store's one writer thread, through which every write goes (captured
// hooks, deliveries, deletes, clear, retention, imports, re-checks), a reader
// thread for every query, the listener, the forwarder and the sender. Nothing
// here touches SQLite on the thread that owns the Workspace.
//
// Operations return a QFuture: the window continues with whenReady(future, this, ...), the
// command line waits with await(). Signals report what changed in the store, on
// the Workspace's thread, whoever asked for the change.
class Workspace : public QObject
{
    Q_OBJECT

public:
    explicit Workspace(const catalog::Catalog &catalog, QObject *parent = nullptr);
    ~Workspace() override;

    // hooks.sqlite in the platform's application-data folder.
    static QString defaultStorePath();

    // Opens the store (creating it and its folder when missing). This process
    // becomes its writer when no other process is; otherwise every write but
    // captures and imports still works beside that one (isWriter() is false).
    bool open(const QString &storePath);
    void close();
    bool isOpen() const { return m_writer != nullptr; }
    bool isWriter() const;
    QString storePath() const { return m_storePath; }
    QString errorString() const { return m_error; }
    const catalog::Catalog &catalog() const { return m_catalog; }

    // Listening. A failure leaves errorString() and listenFailure() saying why.
    enum class ListenFailure { None, Store, Address };
    bool listen(const ListenerConfig &config);
    void stopListening();
    bool isListening() const;
    QUrl url() const;
    ListenFailure listenFailure() const { return m_listenFailure; }
    // Takes effect for the next request (answer, secret, limits); not bind or port.
    void setListenerConfig(const ListenerConfig &config);
    ListenerConfig listenerConfig() const;
    Listener *listener() const { return m_listener; }

    // The URL the listener of a store publishes while it runs, in this process or
    // another; empty, with *why, when none does.
    static QUrl runningListener(const QString &storePath, QString *why);

    // Reaching the listener from a real sender, while the listener itself stays
    // bound where it is (loopback). A tunnel program in front of it, restarted
    // when it ends and restarted for the new address when the listener moves;
    // stopped with the listener. False, with *error, when not listening, or the
    // command is not valid or not installed.
    bool startTunnel(const relay::TunnelSpec &spec, QString *error);
    void stopTunnel();
    relay::Tunnel *tunnel() const { return m_tunnel; }
    // The tunnel's public URL while it is up; empty otherwise.
    QUrl publicUrl() const { return m_tunnel->publicUrl(); }
    // A smee channel: every delivery it relays is stored (through the listener's
    // intake, so it arrives and is forwarded as a captured hook) as a relayed
    // hook, its verdicts checked against the listener's secret. False, with
    // *error, for a URL that is not a channel URL or when this process is not
    // the store's listener.
    bool receiveFromSmee(const QUrl &channel, QString *error);
    void stopSmee();
    relay::SmeeChannel *smee() const { return m_smee; }
    // Asks a smee server for a channel of its own.
    QFuture<relay::NewChannel> newSmeeChannel(const QUrl &server = relay::defaultSmeeServer());
    // Whether the listener can be reached from outside this machine now (or is
    // about to be): a tunnel or a smee channel is on.
    bool isPublic() const { return m_tunnel->isActive() || m_smee->isActive(); }

    // Forwarding of every captured hook (never of imported ones); an empty URL
    // stops it. False, with *error, for a URL that is not http(s) or that is this
    // listener itself.
    bool setForwardTarget(const QUrl &target, QString *error);
    QUrl forwardTarget() const;
    // Lives on a thread of its own: call into it with queued calls only.
    Forwarder *forwarder() const { return m_forwarder; }
    // Captured hooks not forwarded since this workspace was made (see hooksNotForwarded()).
    qint64 hooksNotForwardedTotal() const { return m_notForwarded; }
    // Waits (running the event loop) up to timeoutMs for forwards in flight, then
    // ends what is left with reason.
    void finishForwarding(int timeoutMs, const QString &reason);

    // The canonical actions that a spelling names, over every provider and event
    // of the catalog (an alias finds its action); the spelling itself when the
    // catalog does not know it.
    QStringList resolveAction(const QString &spelling) const;
    // The header that carries a hook's delivery id, as the catalog names it for
    // the hook's provider (or, for a hook no provider claims, for any provider
    // whose header the hook has); empty when the hook has none.
    QByteArray deliveryIdHeader(const Hook &hook) const;
    // Why a replay of the hook cannot take a fresh delivery id ("Codewars hooks
    // carry no delivery id"); empty when it can.
    QString whyNoDeliveryId(const Hook &hook) const;
    // Whether replays of hooks from these providers can take a fresh delivery id;
    // when none can, *why says so, as whyNoDeliveryId() does.
    bool canRefreshDeliveryId(const QStringList &providers, QString *why) const;

    // Reads, on the reader thread.
    QFuture<Fetched<std::optional<Hook>>> hook(qint64 id);
    QFuture<Fetched<QList<Hook>>> hooks(const HookQuery &query);
    QFuture<Fetched<QList<HookRow>>> rows(const HookQuery &query);
    QFuture<Fetched<QList<Delivery>>> deliveries(qint64 hookId);
    QFuture<Fetched<QList<Delivery>>> recentDeliveries(Delivery::Kind kind, int limit);
    // For lists: the deliveries without their bodies (see DeliveryRow); delivery()
    // reads one whole when it is shown.
    QFuture<Fetched<QList<DeliveryRow>>> deliveryRows(qint64 hookId);
    QFuture<Fetched<QList<DeliveryRow>>> recentDeliveryRows(Delivery::Kind kind, int limit);
    QFuture<Fetched<std::optional<Delivery>>> delivery(qint64 id);
    // Ids of the hooks the query selects. A newer call makes the older ones
    // obsolete: they end early, marked as superseded.
    struct Matches
    {
        QSet<qint64> ids;
        bool superseded = false;
        QString error;
    };
    QFuture<Matches> matchingIds(const HookQuery &query);
    // Streams the rows the query selects, in pages of pageRows, to page() on
    // context's thread (while context lives); last is true for the final one.
    // A later call, or cancelStreams(), ends the ones before.
    void streamRows(const HookQuery &query, int pageRows, QObject *context,
                    std::function<void(const QList<HookRow> &rows, bool last)> page);
    void cancelStreams();
    // Any reading job, on the reader thread with its own connection. R has an
    // error member, set instead of running the job when the store cannot be read.
    template<typename R>
    QFuture<R> read(std::function<R(HookStore &)> job);

    // Exports: the bytes, or a file written whole or not at all. ids empty: every
    // hook; an id that is not stored is an error that names it.
    QFuture<Fetched<QByteArray>> exportData(ExportFormat format, const QList<qint64> &ids);
    QFuture<Outcome> exportTo(const QString &fileName, ExportFormat format, const QList<qint64> &ids);

    // Writes, on the writer thread, each after every hook captured before it.
    QFuture<Outcome> deleteHooks(const QList<qint64> &ids);
    QFuture<Outcome> clear();
    // Keeps the newest keep hooks (when > 0) and none received before olderThanUs (when > 0).
    QFuture<Outcome> prune(qint64 keep, qint64 olderThanUs);
    // Adds the requests of a HAR file as imported hooks, with their own times
    // and URLs, new ids after every id given so far; never forwarded.
    QFuture<Outcome> importHar(const QString &fileName);
    // Inspects the hooks again (ids empty: all) with the catalog and this secret,
    // and stores the new verdicts and problems; count says how many changed.
    QFuture<Outcome> recheck(const QList<qint64> &ids, const QByteArray &secret);
    QFuture<Fetched<Delivery>> storeDelivery(const Delivery &delivery);

    // Sending: each result is stored as a delivery before the future finishes.
    QFuture<Delivery> send(const Draft &draft, Delivery::Kind kind = Delivery::Kind::Compose, qint64 hookId = 0);
    // The hooks in the order given, one after another, or options.parallel at once
    // (none when an id is missing); the deliveries come in the order given.
    QFuture<ReplayOutcome> replay(const QList<qint64> &ids, const QUrl &target, const ReplayOptions &options = {});
    // One hook as its sender would retry it: an attempt after each wait of the
    // schedule (divided by speed), until one is answered 2xx. Every attempt is
    // the same request (the same delivery id) and is stored with its number;
    // attemptFinished() reports each. cancelRetries() ends the schedules running.
    QFuture<ReplayOutcome> replayWithRetries(qint64 id, const QUrl &target, const RetrySchedule &schedule, double speed = 1,
                                             const ReplayOptions &options = {});
    void cancelRetries();
    Sender *sender() const { return m_sender; }
    // HTTPS to url's host and port trusts this self-signed certificate (PEM) instead of
    // the system's authorities, for sends, replays and forwards; an empty pem ends that.
    void trustCertificate(const QUrl &url, const QByteArray &pem);
    QByteArray trustedCertificate(const QUrl &url) const;
    // Ends every send in flight (stored as failed with reason).
    void abortSends(const QString &reason);

signals:
    // Captured hooks, now in the store, in the order they arrived.
    void hooksArrived(const QList<Hook> &hooks);
    // Imported hooks, now in the store.
    void hooksImported(const QList<Hook> &hooks);
    void hooksRemoved(const QList<qint64> &ids);
    void storeCleared();
    // Many rows changed at once (retention): read the store again.
    void storeChanged();
    // These hooks were inspected again: their event, action, verdicts or problems changed.
    void hooksChanged(const QList<qint64> &ids);
    void deliveryStored(const Delivery &delivery);
    // The listener started on url, or stopped.
    void listening(const QUrl &url);
    void listeningStopped();
    // From the listener: see Listener::storeFailed() and storeStalled().
    void storeFailed(const QString &error, int hooks);
    void storeStalled(const QString &error, int hooks);
    // See Listener::refusalsNotRecordedChanged().
    void refusalsNotRecordedChanged(qint64 total);
    // The forward target did not take these hooks (total since this workspace was
    // made; reason: why the last ones were not): the forwarder's queue was full, or
    // forwarding stopped while they waited. Their forward status stays "not forwarded".
    void hooksNotForwarded(qint64 total, const QString &reason);
    // A forward could not be stored.
    void problem(const QString &message);
    // One attempt of a retry schedule finished (and is stored).
    void attemptFinished(const Delivery &delivery);
    // The listener became reachable from outside, or stopped being (see isPublic()).
    void publicChanged(bool isPublic);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    class Reader;
    // Runs job on worker's thread and finishes the future on this one; without a
    // worker (no store open) R says so in its error.
    template<typename R, typename Job, typename After>
    QFuture<R> runOn(QObject *worker, Job job, After after);
    // A job on the writer's thread, after every hook accepted before it; then, on
    // this thread, after(result) announces what changed before the future finishes.
    template<typename R>
    QFuture<R> write(std::function<R(StoreWriter &)> job, std::function<void(const R &)> after = [](const R &) {});
    void startForwarder(const QUrl &target);
    void stopForwarder(const QString &reason);
    void storeDeliveries();
    struct ReplayRun;
    void replayNext(std::shared_ptr<ReplayRun> run);
    // The options for one hook: its provider's delivery id header.
    ReplayOptions optionsFor(const Hook &hook, ReplayOptions options) const;
    void noteKeptId(ReplayOutcome *outcome, const Hook &hook) const;
    struct Retry;
    void attemptNext(std::shared_ptr<Retry> retry);
    void takeRelayed(Hook hook);

    catalog::Catalog m_catalog;
    QString m_storePath;
    QString m_error;
    QThread m_storeThread;
    QThread m_readerThread;
    QThread m_forwardThread;
    StoreWriter *m_writer = nullptr;   // lives on m_storeThread
    Reader *m_reader = nullptr;        // lives on m_readerThread
    Listener *m_listener;
    Forwarder *m_forwarder = nullptr;  // lives on m_forwardThread
    qint64 m_notForwarded = 0;
    Sender *m_sender;
    QNetworkAccessManager *m_network;
    relay::Tunnel *m_tunnel;
    relay::SmeeChannel *m_smee;
    bool m_public = false;
    QHash<quint64, std::shared_ptr<QPromise<Delivery>>> m_sends;
    QHash<quint64, std::function<void()>> m_onSent;   // run when the send ends, before its delivery is stored
    struct UnstoredDelivery
    {
        Delivery delivery;
        std::shared_ptr<QPromise<Fetched<Delivery>>> promise;   // none for a forward
    };
    QList<UnstoredDelivery> m_unstoredDeliveries;   // waiting for the batch being written
    bool m_storingDeliveries = false;
    QHash<QString, QByteArray> m_trusted;   // "host:port" -> PEM
    QHash<quint64, int> m_attempts;   // sends that are attempts of a schedule -> their number
    QMetaObject::Connection m_arrivals;   // listener -> hooksArrived, while anyone takes them
    QList<std::shared_ptr<Retry>> m_retries;   // schedules running
    ListenFailure m_listenFailure = ListenFailure::None;
    std::atomic<quint64> m_searchGeneration{0};
    std::atomic<quint64> m_streamGeneration{0};
};

// Calls f with the future's result on context's thread once it has one, unless
// context is gone by then or the future was cancelled. (QFuture::then() with a
// context calls into a context that was destroyed meanwhile when the future
// finishes on that context's thread; a watcher owned by the context cannot.)
template<typename T, typename F>
void whenReady(const QFuture<T> &future, QObject *context, F f)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, f = std::move(f)]() mutable {
        watcher->deleteLater();
        if (!watcher->isCanceled() && watcher->future().resultCount() > 0)
            f(watcher->result());
    });
    watcher->setFuture(future);
}

// Runs the event loop until the future has a result: for the command line and
// tests, which have no window to keep responsive.
template<typename T>
T await(QFuture<T> future)
{
    if (!future.isFinished()) {
        QFutureWatcher<T> watcher;
        QEventLoop loop;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
    }
    return future.result();
}

class Workspace::Reader : public QObject
{
public:
    explicit Reader(const QString &path) : m_path(path) { }
    // The reader's connection, opened on first use; nullptr with *error when it cannot be.
    HookStore *store(QString *error);

private:
    QString m_path;
    HookStore m_store;
};

template<typename R, typename Job, typename After>
QFuture<R> Workspace::runOn(QObject *worker, Job job, After after)
{
    auto promise = std::make_shared<QPromise<R>>();
    promise->start();
    QFuture<R> future = promise->future();
    if (!worker) {
        R result{};
        result.error = tr("no store is open");
        promise->addResult(std::move(result));
        promise->finish();
        return future;
    }
    // The result is handed over on this object's thread (after what it says
    // changed is announced there); gone by then, the future ends cancelled.
    QMetaObject::invokeMethod(worker, [this, promise, job = std::move(job), after = std::move(after)] {
        QMetaObject::invokeMethod(this, [promise, after, result = job()] {
            after(result);
            promise->addResult(result);
            promise->finish();
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
    return future;
}

template<typename R>
QFuture<R> Workspace::read(std::function<R(HookStore &)> job)
{
    return runOn<R>(m_reader, [job = std::move(job), reader = m_reader] {
        R result{};
        if (HookStore *store = reader->store(&result.error)) {
            store->clearError();
            result = job(*store);
        }
        return result;
    }, [](const R &) {});
}

} // namespace workspace

Q_DECLARE_METATYPE(workspace::Outcome)
