#include "storereader.h"

#include "formats/curl.h"
#include "formats/har.h"
#include "formats/jsonl.h"

#include <QFileInfo>
#include <QSaveFile>

#include <limits>

namespace ui {

// Owns the store connection; touched only on the reader thread.
class StoreReader::Worker : public QObject
{
public:
    explicit Worker(const QString &path) : m_path(path) { }

    HookStore *store(QString *error)
    {
        if (!m_store.isOpen() && !m_store.open(m_path, HookStore::Mode::ReadOnly)) {
            *error = m_store.errorString();
            return nullptr;
        }
        return &m_store;
    }

private:
    QString m_path;
    HookStore m_store;
};

QByteArray exportBytes(const QList<Hook> &hooks, ExportFormat format)
{
    switch (format) {
    case ExportFormat::Har:
        return formats::hooksToHar(hooks);
    case ExportFormat::Jsonl: {
        QByteArray lines;
        for (const Hook &hook : hooks)
            lines += formats::hookToJsonLine(hook);
        return lines;
    }
    case ExportFormat::Curl:
        return formats::curlScript(hooks);
    }
    return {};
}

ExportFormat exportFormatForFile(const QString &fileName, ExportFormat fallback)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == u"har")
        return ExportFormat::Har;
    if (suffix == u"jsonl" || suffix == u"ndjson")
        return ExportFormat::Jsonl;
    if (suffix == u"sh" || suffix == u"curl")
        return ExportFormat::Curl;
    return fallback;
}

StoreReader::StoreReader(const QString &storePath, QObject *parent)
    : QObject(parent)
    , m_worker(new Worker(storePath))
{
    qRegisterMetaType<ui::LoadedHook>();
    qRegisterMetaType<QSet<qint64>>();
    m_thread.setObjectName(QStringLiteral("hookscope-reader"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

StoreReader::~StoreReader()
{
    m_latestSearch = std::numeric_limits<quint64>::max();
    // The connection must be closed on the thread that opened it.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { delete worker; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

template<typename Job>
void StoreReader::post(Job job)
{
    QMetaObject::invokeMethod(m_worker, std::move(job), Qt::QueuedConnection);
}

quint64 StoreReader::loadHook(qint64 id)
{
    const quint64 ticket = m_nextTicket++;
    post([this, ticket, id, worker = m_worker] {
        LoadedHook loaded;
        loaded.id = id;
        if (HookStore *store = worker->store(&loaded.error)) {
            if (std::optional<Hook> hook = store->hook(id)) {
                loaded.found = true;
                loaded.hook = std::move(*hook);
                loaded.body = renderBody(loaded.hook.body, http::valueOf(loaded.hook.headers, "Content-Type"));
            } else {
                loaded.error = store->errorString().isEmpty() ? tr("hook #%1 is not in the store").arg(id) : store->errorString();
            }
        }
        // Emitted on the reader thread; receivers on the GUI thread get it queued.
        emit hookLoaded(ticket, loaded);
    });
    return ticket;
}

quint64 StoreReader::search(const HookQuery &query)
{
    const quint64 ticket = m_nextTicket++;
    m_latestSearch = ticket;
    post([this, ticket, query, worker = m_worker] {
        if (ticket < m_latestSearch)
            return;
        QSet<qint64> ids;
        QString error;
        if (HookStore *store = worker->store(&error)) {
            store->forEachRow(query, [&](const HookRow &row) {
                ids.insert(row.id);
                return ticket >= m_latestSearch;
            });
        }
        if (ticket >= m_latestSearch)
            emit searchFinished(ticket, ids);
    });
    return ticket;
}

quint64 StoreReader::exportHooks(const QList<qint64> &ids, ExportFormat format, const QString &fileName)
{
    const quint64 ticket = m_nextTicket++;
    post([this, ticket, ids, format, fileName, worker = m_worker] {
        QString error;
        int count = 0;
        if (HookStore *store = worker->store(&error)) {
            HookQuery query;
            query.ids = ids;
            const QList<Hook> hooks = store->hooks(query);
            count = int(hooks.size());
            if (!ids.isEmpty() && hooks.isEmpty())
                error = tr("the selected hooks are no longer in the store");
            QSaveFile file(fileName);
            if (error.isEmpty() && !file.open(QIODevice::WriteOnly))
                error = tr("cannot write %1: %2").arg(fileName, file.errorString());
            if (error.isEmpty()) {
                file.write(exportBytes(hooks, format));
                if (!file.commit())
                    error = tr("cannot write %1: %2").arg(fileName, file.errorString());
            }
        }
        emit exportFinished(ticket, count, error);
    });
    return ticket;
}

} // namespace ui
