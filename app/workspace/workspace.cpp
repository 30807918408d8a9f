#include "workspace.h"

#include "listenerrecord.h"
#include "plural.h"

#include "capture/listener.h"
#include "capture/storewriter.h"
#include "delivery/forwarder.h"
#include "delivery/sender.h"
#include "formats/bodycoding.h"
#include "formats/har.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaMethod>
#include <QNetworkAccessManager>
#include <QSaveFile>
#include <QStandardPaths>

#include <utility>
#include <QTimer>

#include <limits>

namespace workspace {

namespace {

// Hooks a re-check reads at a time: their bodies are in memory together.
constexpr qsizetype RecheckBatch = 512;
// Forward results waiting for the writer (and the bytes of their bodies) before the forwarder waits too.
constexpr int MaxUnstoredForwards = 4096;
constexpr qint64 MaxUnstoredForwardBytes = qint64(64) * 1024 * 1024;

QString missingIdsError(const QList<qint64> &asked, const QList<Hook> &found, const QString &storePath)
{
    QStringList missing;
    for (qint64 id : asked) {
        if (std::none_of(found.cbegin(), found.cend(), [id](const Hook &hook) { return hook.id == id; }))
            missing.append(u'#' + QString::number(id));
    }
    if (missing.isEmpty())
        return {};
    return QStringLiteral("no hook %1 in %2").arg(missing.join(u", "), QDir::toNativeSeparators(storePath));
}

} // namespace

int ReplayOutcome::succeeded() const
{
    return int(std::count_if(deliveries.cbegin(), deliveries.cend(), [](const Delivery &d) { return d.succeeded(); }));
}

HookStore *Workspace::Reader::store(QString *error)
{
    if (!m_store.isOpen() && !m_store.open(m_path, HookStore::Mode::ReadOnly)) {
        *error = m_store.errorString();
        return nullptr;
    }
    return &m_store;
}

Workspace::Workspace(const catalog::Catalog &catalog, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_listener(new Listener(catalog, this))
    , m_sender(new Sender(this))
    , m_network(new QNetworkAccessManager(this))
    , m_tunnel(new relay::Tunnel(this))
    , m_smee(new relay::SmeeChannel(m_network, this))
{
    qRegisterMetaType<Hook>();
    qRegisterMetaType<QList<Hook>>();
    qRegisterMetaType<Delivery>();
    m_storeThread.setObjectName(QStringLiteral("hookscope-store"));
    m_readerThread.setObjectName(QStringLiteral("hookscope-reader"));
    m_forwardThread.setObjectName(QStringLiteral("hookscope-forward"));

    connect(m_listener, &Listener::storeFailed, this, &Workspace::storeFailed);
    connect(m_listener, &Listener::storeStalled, this, &Workspace::storeStalled);
    connect(m_listener, &Listener::refusalsNotRecordedChanged, this, &Workspace::refusalsNotRecordedChanged);
    connect(m_smee, &relay::SmeeChannel::delivered, this, &Workspace::takeRelayed);
    const auto notePublic = [this] {
        if (isPublic() != m_public) {
            m_public = isPublic();
            emit publicChanged(m_public);
        }
    };
    connect(m_tunnel, &relay::Tunnel::stateChanged, this, notePublic);
    connect(m_smee, &relay::SmeeChannel::stateChanged, this, notePublic);
    connect(m_sender, &Sender::finished, this, [this](quint64 ticket, Delivery delivery) {
        const std::shared_ptr<QPromise<Delivery>> promise = m_sends.take(ticket);
        delivery.attempt = m_attempts.take(ticket);
        if (const std::function<void()> sent = m_onSent.take(ticket))
            sent();
        whenReady(storeDelivery(delivery), this, [promise](const Fetched<Delivery> &stored) {
            if (promise) {
                promise->addResult(stored.value);
                promise->finish();
            }
        });
    });
}

Workspace::~Workspace()
{
    close();
    stopForwarder(tr("hookscope is closing"));
    m_forwardThread.quit();
    m_forwardThread.wait();
}

void Workspace::connectNotify(const QMetaMethod &signal)
{
    // The listener posts each committed batch to this thread only while someone
    // takes it: `hookscope listen` without --jsonl spares its main thread a
    // wake-up per commit under load.
    if (signal == QMetaMethod::fromSignal(&Workspace::hooksArrived) && !m_arrivals)
        m_arrivals = connect(m_listener, &Listener::hooksStored, this, &Workspace::hooksArrived);
}

void Workspace::disconnectNotify(const QMetaMethod &signal)
{
    // Qt may call this with a connection mutex held (from a receiver's destructor):
    // isSignalConnected() would take it again and hang. Look from the event loop.
    if (signal != QMetaMethod::fromSignal(&Workspace::hooksArrived) || !m_arrivals)
        return;
    QMetaObject::invokeMethod(this, [this] {
        if (m_arrivals && !isSignalConnected(QMetaMethod::fromSignal(&Workspace::hooksArrived))) {
            disconnect(m_arrivals);
            m_arrivals = {};
        }
    }, Qt::QueuedConnection);
}

QString Workspace::defaultStorePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/hooks.sqlite");
}

bool Workspace::open(const QString &storePath)
{
    close();
    m_storePath = storePath;
    m_error.clear();
    m_storeThread.start();
    auto *writer = new StoreWriter(m_catalog);   // deleted on its thread in close()
    writer->moveToThread(&m_storeThread);
    bool opened = false;
    // Blocking: the connection belongs to the thread that opens it.
    QMetaObject::invokeMethod(writer, [&] { opened = writer->open(storePath); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        m_error = writer->errorString();
        QMetaObject::invokeMethod(writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_storeThread.quit();
        m_storeThread.wait();
        return false;
    }
    m_writer = writer;
    m_reader = new Reader(storePath);   // deleted on its thread in close()
    m_reader->moveToThread(&m_readerThread);
    m_readerThread.start();
    return true;
}

void Workspace::close()
{
    if (!m_writer)
        return;
    stopForwarder(tr("hookscope is closing"));
    cancelRetries();
    abortSends(tr("hookscope is closing"));
    stopSmee();
    stopTunnel();
    // Deliveries that finished meanwhile reach the writer before it closes.
    QCoreApplication::sendPostedEvents(this);
    stopListening();
    ++m_searchGeneration;
    ++m_streamGeneration;
    QMetaObject::invokeMethod(m_reader, [reader = m_reader] { delete reader; }, Qt::BlockingQueuedConnection);
    m_reader = nullptr;
    m_readerThread.quit();
    m_readerThread.wait();
    QMetaObject::invokeMethod(m_writer, [writer = m_writer] { delete writer; }, Qt::BlockingQueuedConnection);
    m_writer = nullptr;
    m_storeThread.quit();
    m_storeThread.wait();
}

bool Workspace::isWriter() const
{
    return m_writer && m_writer->ownsIntake();
}

template<typename R>
QFuture<R> Workspace::write(std::function<R(StoreWriter &)> job, std::function<void(const R &)> after)
{
    return runOn<R>(m_writer, [job = std::move(job), writer = m_writer] {
        // Hooks accepted before this job go into SQLite first.
        writer->flush();
        writer->store().clearError();
        return job(*writer);
    }, std::move(after));
}

// Listening

bool Workspace::listen(const ListenerConfig &config)
{
    m_listenFailure = ListenFailure::None;
    if (!m_writer) {
        m_error = tr("no store is open");
        m_listenFailure = ListenFailure::Store;
        return false;
    }
    // A tunnel follows the listener to its new address; a smee channel goes on.
    const std::optional<relay::TunnelSpec> tunnel = m_tunnel->isActive() ? std::optional(m_tunnel->spec()) : std::nullopt;
    const QUrl smee = m_smee->isActive() ? m_smee->channel() : QUrl();
    if (isListening())
        stopListening();
    if (!m_listener->start(config, m_writer)) {
        m_error = m_listener->errorString();
        m_listenFailure = m_listener->startFailure() == Listener::StartFailure::Store ? ListenFailure::Store : ListenFailure::Address;
        return false;
    }
    QString error;
    if (!ListenerRecord::publish(m_storePath, m_listener->url(), &error))
        emit problem(tr("`hookscope send` will not find this listener: %1").arg(error));
    emit listening(m_listener->url());
    if (tunnel && !startTunnel(*tunnel, &error))
        emit problem(tr("The tunnel could not follow the listener: %1").arg(error));
    if (!smee.isEmpty() && !receiveFromSmee(smee, &error))
        emit problem(tr("%1 could not be received again: %2").arg(smee.toString(), error));
    return true;
}

void Workspace::stopListening()
{
    if (!m_listener->isListening())
        return;
    ListenerRecord::withdraw(m_storePath);
    stopSmee();
    stopTunnel();
    m_listener->stop();
    emit listeningStopped();
}

bool Workspace::isListening() const
{
    return m_listener->isListening();
}

QUrl Workspace::url() const
{
    return m_listener->isListening() ? m_listener->url() : QUrl();
}

void Workspace::setListenerConfig(const ListenerConfig &config)
{
    m_listener->setConfig(config);
}

ListenerConfig Workspace::listenerConfig() const
{
    return m_listener->config();
}

QUrl Workspace::runningListener(const QString &storePath, QString *why)
{
    return ListenerRecord::find(storePath, why);
}

// Reaching the listener from outside

bool Workspace::startTunnel(const relay::TunnelSpec &spec, QString *error)
{
    if (!isListening()) {
        *error = tr("not listening: a tunnel needs a listener to lead to");
        return false;
    }
    return m_tunnel->start(spec, url(), error);
}

void Workspace::stopTunnel()
{
    m_tunnel->stop();
}

bool Workspace::receiveFromSmee(const QUrl &channel, QString *error)
{
    if (!isListening()) {
        *error = tr("not listening: relayed hooks go into the store with the listener's own");
        return false;
    }
    return m_smee->start(channel, error);
}

void Workspace::stopSmee()
{
    m_smee->stop();
}

QFuture<relay::NewChannel> Workspace::newSmeeChannel(const QUrl &server)
{
    return relay::requestNewChannel(m_network, server);
}

void Workspace::takeRelayed(Hook hook)
{
    if (!m_writer)
        return;
    const ListenerConfig config = m_listener->config();
    hook.id = m_writer->reserveId();
    hook.origin = Hook::Origin::Relayed;
    hook.inspection.secret = catalog::secretVerdict(hook.headers, config.secret);
    hook.inspection.signature = catalog::signatureVerdict(hook.headers, hook.body, config.secret, hook.receivedUs);
    hook.inspection.markRelayed();
    QString error;
    if (!m_writer->accept({std::move(hook)}, &error))
        emit problem(tr("A hook relayed by %1 could not be stored: %2").arg(m_smee->channel().toString(), error));
}

// Forwarding

bool Workspace::setForwardTarget(const QUrl &target, QString *error)
{
    if (target.isEmpty()) {
        stopForwarder(tr("forwarding was turned off"));
        return true;
    }
    if (!target.isValid() || (target.scheme() != u"http" && target.scheme() != u"https") || target.host().isEmpty()) {
        *error = tr("'%1' is not an http(s) URL").arg(target.toString());
        return false;
    }
    if (isListening()) {
        const QHostAddress forwardHost(target.host());
        const QHostAddress bound = m_listener->address();
        const bool boundToAll = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6;
        const bool loopback = forwardHost.isLoopback() || target.host() == u"localhost";
        const bool self = target.port(target.scheme() == u"https" ? 443 : 80) == m_listener->port()
            && (forwardHost == bound || (loopback && (bound.isLoopback() || boundToAll)));
        if (self) {
            *error = tr("%1 is this listener; hooks would be forwarded to themselves forever").arg(target.toString());
            return false;
        }
    }
    if (m_forwarder && m_forwarder->target() == target)
        return true;
    startForwarder(target);
    return true;
}

static QString originKey(const QUrl &url)
{
    return url.host().toLower() + u':' + QString::number(url.port(url.scheme() == u"https" ? 443 : 80));
}

void Workspace::trustCertificate(const QUrl &url, const QByteArray &pem)
{
    const QString key = originKey(url);
    if (pem.isEmpty())
        m_trusted.remove(key);
    else
        m_trusted.insert(key, pem);
    const int port = url.port(443);
    m_sender->setTrustedCertificate(url.host(), port, pem);
    if (m_forwarder) {
        QMetaObject::invokeMethod(m_forwarder, [forwarder = m_forwarder, host = url.host(), port, pem] {
            forwarder->setTrustedCertificate(host, port, pem);
        }, Qt::QueuedConnection);
    }
}

QByteArray Workspace::trustedCertificate(const QUrl &url) const
{
    return m_trusted.value(originKey(url));
}

void Workspace::startForwarder(const QUrl &target)
{
    stopForwarder(tr("the forward target changed"));
    // Its own thread: forwards go out and their answers come in whatever the
    // window (or the listener's hand-over on this thread) is busy with.
    auto *forwarder = new Forwarder(target);   // deleted on its thread in stopForwarder()
    forwarder->setMaxUnstored(MaxUnstoredForwards, MaxUnstoredForwardBytes);
    for (auto it = m_trusted.cbegin(); it != m_trusted.cend(); ++it) {
        const qsizetype colon = it.key().lastIndexOf(u':');
        forwarder->setTrustedCertificate(it.key().left(colon), it.key().mid(colon + 1).toInt(), it.value());
    }
    forwarder->moveToThread(&m_forwardThread);
    if (!m_forwardThread.isRunning())
        m_forwardThread.start();
    m_forwarder = forwarder;
    // Captured hooks only: imports never reach hooksStored. All three connections
    // cross threads (queued).
    connect(m_listener, &Listener::hooksStored, forwarder, &Forwarder::forward);
    connect(forwarder, &Forwarder::forwarded, this, [this](const QList<Delivery> &deliveries) {
        for (const Delivery &delivery : deliveries)
            m_unstoredDeliveries.append({delivery, nullptr});
        if (!m_storingDeliveries)
            storeDeliveries();
    });
    connect(forwarder, &Forwarder::dropped, this, [this](qint64 hooks, const QString &reason) {
        m_notForwarded += hooks;
        emit hooksNotForwarded(m_notForwarded, reason);
    });
}

void Workspace::stopForwarder(const QString &reason)
{
    Forwarder *forwarder = std::exchange(m_forwarder, nullptr);
    if (!forwarder)
        return;
    disconnect(m_listener, nullptr, forwarder, nullptr);
    // Its last results are posted to this thread before this returns.
    QMetaObject::invokeMethod(forwarder, [forwarder, reason] {
        forwarder->stop(reason);
        delete forwarder;
    }, Qt::BlockingQueuedConnection);
}

QUrl Workspace::forwardTarget() const
{
    return m_forwarder ? m_forwarder->target() : QUrl();
}

void Workspace::finishForwarding(int timeoutMs, const QString &reason)
{
    if (!m_forwarder)
        return;
    {
        QEventLoop loop;
        connect(m_forwarder, &Forwarder::idle, &loop, &QEventLoop::quit);   // queued: from its thread
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        if (m_forwarder->pending() > 0)
            loop.exec();
    }
    QMetaObject::invokeMethod(m_forwarder, [forwarder = m_forwarder, reason] { forwarder->stop(reason); },
                              Qt::BlockingQueuedConnection);
    // The last results reach the writer, and the writer SQLite, before this returns.
    QCoreApplication::sendPostedEvents(this);
    await(write<Outcome>([](StoreWriter &) { return Outcome{}; }));
    QCoreApplication::sendPostedEvents(this);
}

// Queries

QStringList Workspace::resolveAction(const QString &spelling) const
{
    QStringList actions;
    for (const QString &provider : m_catalog.providers()) {
        for (const catalog::Event &event : m_catalog.events(provider)) {
            if (const std::optional<QString> canonical = m_catalog.resolveAction(provider, event.name, spelling)) {
                if (!actions.contains(*canonical))
                    actions.append(*canonical);
            }
        }
    }
    if (!actions.contains(spelling))
        actions.append(spelling);
    return actions;
}

QByteArray Workspace::deliveryIdHeader(const Hook &hook) const
{
    if (const std::optional<catalog::Provider> provider = m_catalog.provider(hook.inspection.provider))
        return http::contains(hook.headers, provider->deliveryIdHeader) ? provider->deliveryIdHeader : QByteArray();
    for (const QString &id : m_catalog.providers()) {
        const QByteArray header = m_catalog.provider(id)->deliveryIdHeader;
        if (!header.isEmpty() && http::contains(hook.headers, header))
            return header;
    }
    return {};
}

static QString noIdText(const QString &providerName)
{
    return Workspace::tr("%1 hooks carry no delivery id").arg(providerName);
}

QString Workspace::whyNoDeliveryId(const Hook &hook) const
{
    if (!deliveryIdHeader(hook).isEmpty())
        return {};
    const std::optional<catalog::Provider> provider = m_catalog.provider(hook.inspection.provider);
    if (!provider)
        return tr("hooks of no known provider carry no delivery id");
    if (provider->deliveryIdHeader.isEmpty())
        return noIdText(provider->name);
    return tr("the hook has no %1 header").arg(QString::fromLatin1(provider->deliveryIdHeader));
}

bool Workspace::canRefreshDeliveryId(const QStringList &providers, QString *why) const
{
    QStringList without;
    for (const QString &id : providers) {
        const std::optional<catalog::Provider> provider = m_catalog.provider(id);
        if (provider && !provider->deliveryIdHeader.isEmpty())
            return true;
        const QString name = provider ? provider->name : tr("Unrecognised");
        if (!without.contains(name))
            without.append(name);
    }
    if (why)
        *why = without.isEmpty() ? tr("no hooks to replay") : noIdText(without.join(tr(" and ")));
    return false;
}

void Workspace::noteKeptId(ReplayOutcome *outcome, const Hook &hook) const
{
    outcome->keptId.append(hook.id);
    const QString why = whyNoDeliveryId(hook);
    if (!outcome->keptIdWhy.contains(why))
        outcome->keptIdWhy.append(why);
}

ReplayOptions Workspace::optionsFor(const Hook &hook, ReplayOptions options) const
{
    if (options.refreshDeliveryId)
        options.deliveryIdHeader = deliveryIdHeader(hook);
    return options;
}

QFuture<Fetched<std::optional<Hook>>> Workspace::hook(qint64 id)
{
    return read<Fetched<std::optional<Hook>>>([id](HookStore &store) {
        Fetched<std::optional<Hook>> result;
        result.value = store.hook(id);
        if (!result.value)
            result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<QList<Hook>>> Workspace::hooks(const HookQuery &query)
{
    return read<Fetched<QList<Hook>>>([query](HookStore &store) {
        Fetched<QList<Hook>> result;
        result.value = store.hooks(query);
        result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<QList<HookRow>>> Workspace::rows(const HookQuery &query)
{
    return read<Fetched<QList<HookRow>>>([query](HookStore &store) {
        Fetched<QList<HookRow>> result;
        store.forEachRow(query, [&](const HookRow &row) {
            result.value.append(row);
            return true;
        });
        result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<QList<Delivery>>> Workspace::deliveries(qint64 hookId)
{
    return read<Fetched<QList<Delivery>>>([hookId](HookStore &store) {
        Fetched<QList<Delivery>> result;
        result.value = store.deliveries(hookId);
        result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<QList<Delivery>>> Workspace::recentDeliveries(Delivery::Kind kind, int limit)
{
    return read<Fetched<QList<Delivery>>>([kind, limit](HookStore &store) {
        Fetched<QList<Delivery>> result;
        result.value = store.recentDeliveries(kind, limit);
        result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<QList<DeliveryRow>>> Workspace::deliveryRows(qint64 hookId)
{
    return read<Fetched<QList<DeliveryRow>>>([hookId](HookStore &store) {
        Fetched<QList<DeliveryRow>> result;
        result.value = store.deliveryRows(hookId);
        result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<QList<DeliveryRow>>> Workspace::recentDeliveryRows(Delivery::Kind kind, int limit)
{
    return read<Fetched<QList<DeliveryRow>>>([kind, limit](HookStore &store) {
        Fetched<QList<DeliveryRow>> result;
        result.value = store.recentDeliveryRows(kind, limit);
        result.error = store.errorString();
        return result;
    });
}

QFuture<Fetched<std::optional<Delivery>>> Workspace::delivery(qint64 id)
{
    return read<Fetched<std::optional<Delivery>>>([id](HookStore &store) {
        Fetched<std::optional<Delivery>> result;
        result.value = store.delivery(id);
        if (!result.value)
            result.error = store.errorString();
        return result;
    });
}

QFuture<Workspace::Matches> Workspace::matchingIds(const HookQuery &query)
{
    const quint64 generation = ++m_searchGeneration;
    return read<Matches>([this, query, generation](HookStore &store) {
        Matches matches;
        store.forEachRow(query, [&](const HookRow &row) {
            matches.ids.insert(row.id);
            return m_searchGeneration == generation;
        });
        matches.superseded = m_searchGeneration != generation;
        matches.error = store.errorString();
        return matches;
    });
}

void Workspace::streamRows(const HookQuery &query, int pageRows, QObject *context,
                           std::function<void(const QList<HookRow> &, bool)> page)
{
    const quint64 generation = ++m_streamGeneration;
    const QPointer<QObject> receiver(context);
    // Pages go through this object, on its thread; the receiver may be gone by then.
    const auto deliver = [this, receiver, page, generation](QList<HookRow> rows, bool last) {
        QMetaObject::invokeMethod(this, [this, receiver, page, generation, rows = std::move(rows), last] {
            if (receiver && m_streamGeneration == generation)
                page(rows, last);
        }, Qt::QueuedConnection);
    };
    read<Outcome>([this, query, pageRows, generation, deliver](HookStore &store) {
        QList<HookRow> rows;
        rows.reserve(pageRows);
        store.forEachRow(query, [&](const HookRow &row) {
            rows.append(row);
            if (rows.size() >= pageRows) {
                deliver(std::exchange(rows, {}), false);
                rows.reserve(pageRows);
            }
            return m_streamGeneration == generation;
        });
        deliver(std::move(rows), true);
        Outcome outcome;
        outcome.error = store.errorString();
        return outcome;
    });
}

void Workspace::cancelStreams()
{
    ++m_streamGeneration;
}

// Exports

QFuture<Fetched<QByteArray>> Workspace::exportData(ExportFormat format, const QList<qint64> &ids)
{
    const QString path = m_storePath;
    return read<Fetched<QByteArray>>([format, ids, path](HookStore &store) {
        Fetched<QByteArray> result;
        HookQuery query;
        query.ids = ids;
        const QList<Hook> hooks = store.hooks(query);
        result.error = store.errorString();
        if (result.ok())
            result.error = missingIdsError(ids, hooks, path);
        if (result.ok())
            result.value = exportBytes(hooks, format);
        return result;
    });
}

QFuture<Outcome> Workspace::exportTo(const QString &fileName, ExportFormat format, const QList<qint64> &ids)
{
    const QString path = m_storePath;
    return read<Outcome>([fileName, format, ids, path](HookStore &store) {
        Outcome outcome;
        HookQuery query;
        query.ids = ids;
        const QList<Hook> hooks = store.hooks(query);
        outcome.error = store.errorString();
        if (outcome.ok())
            outcome.error = missingIdsError(ids, hooks, path);
        if (!outcome.ok())
            return outcome;
        QSaveFile file(fileName);
        if (!file.open(QIODevice::WriteOnly) || file.write(exportBytes(hooks, format)) < 0 || !file.commit()) {
            outcome.error = tr("cannot write %1: %2").arg(QDir::toNativeSeparators(fileName), file.errorString());
            return outcome;
        }
        outcome.count = hooks.size();
        return outcome;
    });
}

// Writes

QFuture<Outcome> Workspace::deleteHooks(const QList<qint64> &ids)
{
    return write<Outcome>([ids](StoreWriter &writer) {
        Outcome outcome;
        if (!writer.store().removeHooks(ids))
            outcome.error = writer.store().errorString();
        outcome.ids = ids;
        outcome.count = ids.size();
        return outcome;
    }, std::function<void(const Outcome &)>([this](const Outcome &outcome) {
        if (outcome.ok())
            emit hooksRemoved(outcome.ids);
    }));
}

QFuture<Outcome> Workspace::clear()
{
    return write<Outcome>([](StoreWriter &writer) {
        Outcome outcome;
        outcome.count = writer.store().count();
        if (!writer.store().clear())
            outcome.error = writer.store().errorString();
        return outcome;
    }, std::function<void(const Outcome &)>([this](const Outcome &outcome) {
        if (outcome.ok())
            emit storeCleared();
    }));
}

QFuture<Outcome> Workspace::prune(qint64 keep, qint64 olderThanUs)
{
    return write<Outcome>([keep, olderThanUs](StoreWriter &writer) {
        Outcome outcome;
        HookStore &store = writer.store();
        const qint64 before = store.count();
        if (!store.prune(keep, olderThanUs))
            outcome.error = store.errorString();
        else
            outcome.count = before - store.count();
        return outcome;
    }, std::function<void(const Outcome &)>([this](const Outcome &outcome) {
        if (outcome.ok() && outcome.count > 0)
            emit storeChanged();
    }));
}

QFuture<Outcome> Workspace::importHar(const QString &fileName)
{
    auto imported = std::make_shared<QList<Hook>>();
    const catalog::Catalog catalog = m_catalog;
    return write<Outcome>([fileName, catalog, imported](StoreWriter &writer) {
        Outcome outcome;
        QFile file(fileName);
        if (!file.open(QIODevice::ReadOnly)) {
            outcome.error = tr("cannot read %1: %2").arg(QDir::toNativeSeparators(fileName), file.errorString());
            return outcome;
        }
        QList<Hook> hooks;
        QString error;
        if (!formats::hooksFromHar(file.readAll(), catalog, &hooks, &error)) {
            outcome.error = QDir::toNativeSeparators(fileName) + u": " + error;
            return outcome;
        }
        if (!writer.ownsIntake()) {
            outcome.error = tr("cannot import into %1: %2; import there, or stop it first")
                                .arg(QDir::toNativeSeparators(writer.store().path()), writer.intakeError());
            return outcome;
        }
        // Ids from the writer, as captured hooks get theirs: numbered after every id given so far.
        for (Hook &hook : hooks) {
            hook.id = writer.reserveId();
            hook.origin = Hook::Origin::Imported;
        }
        if (!writer.store().insertHooks(&hooks)) {
            outcome.error = writer.store().errorString();
            return outcome;
        }
        outcome.count = hooks.size();
        for (const Hook &hook : std::as_const(hooks))
            outcome.ids.append(hook.id);
        *imported = std::move(hooks);
        return outcome;
    }, std::function<void(const Outcome &)>([this, imported](const Outcome &outcome) {
        if (outcome.ok() && !imported->isEmpty())
            emit hooksImported(*imported);
    }));
}

QFuture<Outcome> Workspace::recheck(const QList<qint64> &ids, const QByteArray &secret)
{
    const catalog::Catalog catalog = m_catalog;
    const QString path = m_storePath;
    return write<Outcome>([ids, secret, catalog, path](StoreWriter &writer) {
        Outcome outcome;
        HookStore &store = writer.store();
        HookQuery query;
        query.limit = RecheckBatch;
        if (!ids.isEmpty()) {
            query.ids = ids;
            query.limit = -1;
        }
        for (;;) {
            const QList<Hook> hooks = store.hooks(query);
            if (!store.errorString().isEmpty()) {
                outcome.error = store.errorString();
                return outcome;
            }
            if (!ids.isEmpty()) {
                outcome.error = missingIdsError(ids, hooks, path);
                if (!outcome.ok())
                    return outcome;
            }
            QList<Hook> changed;
            for (const Hook &hook : hooks) {
                if (hook.refused())
                    continue;   // what was read of a refused request is not checked
                Hook rechecked = hook;
                rechecked.inspection = catalog.inspect(hook.headers, hook.body, formats::meantBody(hook.body, hook.headers), secret,
                                                       hook.receivedUs);
                if (hook.origin == Hook::Origin::Relayed)
                    rechecked.inspection.markRelayed();
                if (rechecked.inspection != hook.inspection) {
                    changed.append(rechecked);
                    outcome.ids.append(hook.id);
                }
            }
            if (!changed.isEmpty() && !store.updateInspections(changed)) {
                outcome.error = store.errorString();
                return outcome;
            }
            outcome.count += changed.size();
            if (!ids.isEmpty() || hooks.size() < RecheckBatch)
                return outcome;
            query.afterId = hooks.constLast().id;
        }
    }, std::function<void(const Outcome &)>([this](const Outcome &outcome) {
        if (outcome.ok() && outcome.count > 0)
            emit hooksChanged(outcome.ids);
    }));
}

QFuture<Fetched<Delivery>> Workspace::storeDelivery(const Delivery &delivery)
{
    auto promise = std::make_shared<QPromise<Fetched<Delivery>>>();
    promise->start();
    m_unstoredDeliveries.append({delivery, promise});
    if (!m_storingDeliveries)
        storeDeliveries();
    return promise->future();
}

void Workspace::storeDeliveries()
{
    // Deliveries that finish while a batch is being written wait for the next one:
    // one transaction for many, as replays and forwards of many hooks finish close together.
    if (m_unstoredDeliveries.isEmpty())
        return;
    m_storingDeliveries = true;
    const QList<UnstoredDelivery> batch = std::exchange(m_unstoredDeliveries, {});
    QList<Delivery> deliveries;
    deliveries.reserve(batch.size());
    for (const UnstoredDelivery &unstored : batch)
        deliveries.append(unstored.delivery);
    const auto job = [deliveries](StoreWriter &writer) {
        Fetched<QList<Delivery>> result;
        result.value = deliveries;
        if (!writer.store().addDeliveries(&result.value))
            result.error = writer.store().errorString();
        return result;
    };
    whenReady(write<Fetched<QList<Delivery>>>(job), this, [this, batch](const Fetched<QList<Delivery>> &stored) {
        int forwards = 0;
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const Fetched<Delivery> one{stored.value.value(i, batch.at(i).delivery), stored.error};
            emit deliveryStored(one.value);
            if (const auto &promise = batch.at(i).promise) {
                promise->addResult(one);
                promise->finish();
            } else {
                ++forwards;
            }
        }
        if (forwards > 0) {
            if (!stored.ok())
                emit problem(plural(tr("%n forward(s) could not be stored: %1", nullptr, forwards), forwards).arg(stored.error));
            if (m_forwarder)
                QMetaObject::invokeMethod(m_forwarder, [forwarder = m_forwarder, forwards] { forwarder->stored(forwards); },
                                          Qt::QueuedConnection);
        }
        m_storingDeliveries = false;
        storeDeliveries();
    });
}

// Sending

QFuture<Delivery> Workspace::send(const Draft &draft, Delivery::Kind kind, qint64 hookId)
{
    auto promise = std::make_shared<QPromise<Delivery>>();
    promise->start();
    m_sends.insert(m_sender->send(draft, kind, hookId), promise);
    return promise->future();
}

struct Workspace::ReplayRun
{
    std::shared_ptr<QPromise<ReplayOutcome>> promise;
    std::shared_ptr<ReplayOutcome> outcome;
    QList<Hook> hooks;                      // each dropped once its draft is made
    QList<Delivery> results;                // in the order asked for
    qsizetype next = 0;
    int inFlight = 0;                       // sending
    int unstored = 0;                       // sent or sending, not stored yet
    bool finished = false;
    QUrl target;
    ReplayOptions options;
};

QFuture<ReplayOutcome> Workspace::replay(const QList<qint64> &ids, const QUrl &target, const ReplayOptions &options)
{
    auto promise = std::make_shared<QPromise<ReplayOutcome>>();
    promise->start();
    QFuture<ReplayOutcome> future = promise->future();
    HookQuery query;
    query.ids = ids;
    whenReady(hooks(query), this, [this, promise, ids, target, options](const Fetched<QList<Hook>> &found) {
        auto outcome = std::make_shared<ReplayOutcome>();
        outcome->error = found.error;
        QHash<qint64, qsizetype> at;
        at.reserve(found.value.size());
        for (qsizetype i = 0; i < found.value.size(); ++i)
            at.insert(found.value.at(i).id, i);
        QList<Hook> ordered;
        for (qint64 id : ids) {
            const auto index = at.constFind(id);
            if (index == at.cend())
                outcome->missing.append(id);
            else
                ordered.append(found.value.at(index.value()));
        }
        for (const Hook &hook : std::as_const(ordered)) {
            if (hook.refused() && outcome->error.isEmpty())
                outcome->error = tr("#%1 is a request the listener refused (%2): only what was read of it is kept,"
                                    " there is no request to replay").arg(hook.id).arg(hook.answer.status);
        }
        if (!outcome->error.isEmpty() || !outcome->missing.isEmpty())
            ordered.clear();
        auto run = std::make_shared<ReplayRun>();
        run->promise = promise;
        run->outcome = outcome;
        run->results.resize(ordered.size());
        run->hooks = std::move(ordered);
        run->target = target;
        run->options = options;
        replayNext(run);
    });
    return future;
}

void Workspace::replayNext(std::shared_ptr<ReplayRun> run)
{
    // At most options.parallel sending at once: with 1, each hook waits for the one
    // before. The next one goes as soon as one is answered, while that one is stored.
    const int parallel = qBound(1, run->options.parallel, 64);
    while (run->inFlight < parallel && run->next < run->hooks.size()) {
        const qsizetype index = run->next++;
        const Hook hook = std::exchange(run->hooks[index], Hook());
        ++run->inFlight;
        ++run->unstored;
        const ReplayOptions options = optionsFor(hook, run->options);
        if (options.refreshDeliveryId && options.deliveryIdHeader.isEmpty())
            noteKeptId(run->outcome.get(), hook);
        auto promise = std::make_shared<QPromise<Delivery>>();
        promise->start();
        const quint64 ticket = m_sender->send(replayDraft(hook, run->target, options), Delivery::Kind::Replay, hook.id);
        m_sends.insert(ticket, promise);
        m_onSent.insert(ticket, [this, run] {
            --run->inFlight;
            replayNext(run);
        });
        whenReady(promise->future(), this, [this, run, index](const Delivery &delivery) {
            run->results[index] = delivery;
            --run->unstored;
            replayNext(run);
        });
    }
    if (!run->finished && run->unstored == 0 && run->next == run->hooks.size()) {
        run->finished = true;
        run->outcome->deliveries = std::move(run->results);
        run->promise->addResult(*run->outcome);
        run->promise->finish();
    }
}

struct Workspace::Retry
{
    std::shared_ptr<QPromise<ReplayOutcome>> promise;
    ReplayOutcome outcome;
    Draft draft;   // built once: every attempt sends the same request
    qint64 hookId = 0;
    QList<qint64> waitsMs;
    double speed = 1;
    QTimer timer;
    bool cancelled = false;
};

QFuture<ReplayOutcome> Workspace::replayWithRetries(qint64 id, const QUrl &target, const RetrySchedule &schedule, double speed,
                                                    const ReplayOptions &options)
{
    auto retry = std::make_shared<Retry>();
    retry->promise = std::make_shared<QPromise<ReplayOutcome>>();
    retry->promise->start();
    retry->hookId = id;
    retry->waitsMs = schedule.waitsMs;
    retry->speed = speed > 0 ? speed : 1;
    retry->timer.setSingleShot(true);
    retry->timer.setTimerType(Qt::PreciseTimer);   // waits divided by --speed are short: keep them exact
    QFuture<ReplayOutcome> future = retry->promise->future();
    whenReady(hook(id), this, [this, retry, target, options](const Fetched<std::optional<Hook>> &found) {
        if (!found.value) {
            retry->outcome.error = found.error;
            retry->outcome.missing = {retry->hookId};
            retry->waitsMs.clear();
        } else {
            const ReplayOptions hookOptions = optionsFor(*found.value, options);
            if (hookOptions.refreshDeliveryId && hookOptions.deliveryIdHeader.isEmpty())
                noteKeptId(&retry->outcome, *found.value);
            retry->draft = replayDraft(*found.value, target, hookOptions);
        }
        m_retries.append(retry);
        attemptNext(retry);
    });
    return future;
}

void Workspace::attemptNext(std::shared_ptr<Retry> retry)
{
    const bool done = retry->cancelled || retry->waitsMs.isEmpty()
        || (!retry->outcome.deliveries.isEmpty() && retry->outcome.deliveries.constLast().succeeded());
    if (done) {
        m_retries.removeOne(retry);
        retry->promise->addResult(retry->outcome);
        retry->promise->finish();
        return;
    }
    const qint64 wait = qint64(double(retry->waitsMs.takeFirst()) / retry->speed);
    QObject::disconnect(&retry->timer, nullptr, nullptr, nullptr);
    // The timer is the retry's own: its handler holds the retry weakly (m_retries owns it).
    connect(&retry->timer, &QTimer::timeout, this, [this, weak = std::weak_ptr<Retry>(retry)] {
        const std::shared_ptr<Retry> running = weak.lock();
        if (!running)
            return;
        if (running->cancelled) {
            attemptNext(running);
            return;
        }
        const int attempt = int(running->outcome.deliveries.size()) + 1;
        auto promise = std::make_shared<QPromise<Delivery>>();
        promise->start();
        const quint64 ticket = m_sender->send(running->draft, Delivery::Kind::Replay, running->hookId);
        m_attempts.insert(ticket, attempt);
        m_sends.insert(ticket, promise);
        whenReady(promise->future(), this, [this, running](const Delivery &delivery) {
            running->outcome.deliveries.append(delivery);
            emit attemptFinished(delivery);
            attemptNext(running);
        });
    });
    retry->timer.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

void Workspace::cancelRetries()
{
    const QList<std::shared_ptr<Retry>> running = m_retries;
    for (const std::shared_ptr<Retry> &retry : running) {
        retry->cancelled = true;
        if (retry->timer.isActive()) {
            retry->timer.stop();
            attemptNext(retry);
        }
    }
}

void Workspace::abortSends(const QString &reason)
{
    m_sender->abortAll(reason);
}

} // namespace workspace
