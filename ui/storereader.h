#pragma once

#include "bodyrendering.h"

#include "capture/hookstore.h"

#include <QObject>
#include <QSet>
#include <QThread>

#include <atomic>

namespace ui {

enum class ExportFormat { Har, Jsonl, Curl };

// One hook read back from the store, with its body already rendered.
struct LoadedHook
{
    qint64 id = 0;
    bool found = false;
    Hook hook;
    BodyRendering body;
    QString error;
};

// The file contents of an export in one of the formats.
QByteArray exportBytes(const QList<Hook> &hooks, ExportFormat format);
ExportFormat exportFormatForFile(const QString &fileName, ExportFormat fallback);

// Reads the store on a thread of its own, with its own read-only connection, so
// that big bodies, searches over every body and exports never stall the window.
// Requests return a ticket; the result signals carry it and arrive on the thread
// that owns this object.
class StoreReader : public QObject
{
    Q_OBJECT

public:
    explicit StoreReader(const QString &storePath, QObject *parent = nullptr);
    ~StoreReader() override;

    quint64 loadHook(qint64 id);
    // A newer search makes the older ones obsolete: those not started are skipped.
    quint64 search(const HookQuery &query);
    // ids empty: every hook in the store.
    quint64 exportHooks(const QList<qint64> &ids, ExportFormat format, const QString &fileName);

signals:
    void hookLoaded(quint64 ticket, const ui::LoadedHook &loaded);
    void searchFinished(quint64 ticket, const QSet<qint64> &ids);
    void exportFinished(quint64 ticket, int hooks, const QString &error);

private:
    class Worker;
    template<typename Job> void post(Job job);

    QThread m_thread;
    Worker *m_worker;   // lives on m_thread; deleted there in the destructor
    quint64 m_nextTicket = 1;
    std::atomic<quint64> m_latestSearch{0};
};

} // namespace ui

Q_DECLARE_METATYPE(ui::LoadedHook)
