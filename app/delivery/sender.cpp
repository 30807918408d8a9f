#include "sender.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QTimer>

#include <curl/curl.h>

#include <cerrno>
#include <chrono>
#include <mutex>

struct Sender::Transfer
{
    quint64 ticket = 0;
    Sender *sender = nullptr;
    Delivery delivery;
    QElapsedTimer timer;
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    QByteArray url;
    QByteArray body;     // POSTFIELDS points into it
    QByteArray pem;      // a trusted self-signed certificate, or empty
    bool https = false;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    QString failure;     // set when we end the transfer ourselves, or never start it

    // Progress, for the timeout and for saying in which phase it struck.
    qint64 lastActivityMs = 0;
    bool tlsStarted = false;     // TLS bytes moved: TCP is connected
    bool headSent = false;
    qint64 bodySent = 0;
    qint64 requestSentMs = -1;   // the last byte of the request went out
    bool statusSeen = false;
    bool headersDone = false;
    bool requestIssued = false;  // libcurl was about to write the request once already

    ~Transfer()
    {
        if (easy)
            curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
    void touch() { lastActivityMs = timer.elapsed(); }
    bool requestSent() const { return requestSentMs >= 0; }
};

struct Sender::Watch
{
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

namespace {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString formatBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString seconds(int ms)
{
    return QString::number(ms / 1000.0);
}

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool goesWithoutBodyWhenEmpty(QByteArrayView method)
{
    return method == "GET" || method == "HEAD" || method == "DELETE" || method == "OPTIONS" || method == "TRACE";
}

// libcurl's own additions to a request, each left out unless the draft has it.
constexpr const char *CurlDefaults[] = {"Accept", "Expect", "Content-Type"};

// Node's and Apache's servers close a connection idle for 5 s, gunicorn's after 2 s.
constexpr int MaxIdleReuseSeconds = 1;
// Enough for replay --parallel at its most (64).
constexpr int MaxIdleConnections = 64;

size_t onHeader(char *data, size_t size, size_t count, void *userData)
{
    auto *transfer = static_cast<Sender::Transfer *>(userData);
    const size_t length = size * count;
    QByteArray line(data, qsizetype(length));
    transfer->touch();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    Delivery &delivery = transfer->delivery;
    if (line.startsWith("HTTP/")) {
        // A new status line: an interim 1xx answer before it is forgotten.
        transfer->statusSeen = true;
        transfer->headersDone = false;
        delivery.responseHeaders.clear();
        const QList<QByteArray> parts = line.split(' ');
        delivery.status = parts.value(1).toInt();
        const qsizetype reasonAt = line.indexOf(' ', line.indexOf(' ') + 1);
        delivery.reason = reasonAt < 0 ? QByteArray() : line.mid(reasonAt + 1);
    } else if (line.isEmpty()) {
        transfer->headersDone = true;
    } else if ((line.startsWith(' ') || line.startsWith('\t')) && !delivery.responseHeaders.isEmpty()) {
        delivery.responseHeaders.last().value += ' ' + line.trimmed();   // an obsolete folded line
    } else {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            delivery.responseHeaders.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return length;
}

size_t onBody(char *data, size_t size, size_t count, void *userData)
{
    auto *transfer = static_cast<Sender::Transfer *>(userData);
    const qint64 length = qint64(size * count);
    transfer->touch();
    QByteArray &body = transfer->delivery.responseBody;
    const qint64 cap = transfer->sender->maxResponseBody();
    const qint64 room = cap - body.size();
    if (length > room) {
        body.append(data, qsizetype(qMax<qint64>(room, 0)));
        transfer->failure = Sender::tr("response body larger than %1; the rest was discarded").arg(formatBytes(cap));
        return 0;   // ends the transfer with CURLE_WRITE_ERROR
    }
    body.append(data, qsizetype(length));
    return size_t(length);
}

int onDebug(CURL *, curl_infotype type, char *data, size_t size, void *userData)
{
    auto *transfer = static_cast<Sender::Transfer *>(userData);
    switch (type) {
    case CURLINFO_TEXT:
        return 0;
    case CURLINFO_HEADER_OUT:
        transfer->delivery.requestHead.append(data, qsizetype(size));
        transfer->headSent = true;
        break;
    case CURLINFO_DATA_OUT:
        transfer->bodySent += qint64(size);
        break;
    case CURLINFO_SSL_DATA_OUT:
    case CURLINFO_SSL_DATA_IN:
        transfer->tlsStarted = true;
        break;
    default:
        break;
    }
    transfer->touch();
    if (!transfer->requestSent() && transfer->headSent && transfer->bodySent >= transfer->body.size())
        transfer->requestSentMs = transfer->lastActivityMs;
    return 0;
}

// Called by libcurl right before it writes a request, on a new connection or a
// reused one. libcurl sends a request again, on a new connection, when a reused
// one closes before any byte of the answer came; that second time is refused
// here, so a delivery is written at most once whatever the connection does.
int onPrerequest(void *userData, char *, char *, int, int)
{
    auto *transfer = static_cast<Sender::Transfer *>(userData);
    if (transfer->requestIssued) {
        transfer->failure = Sender::tr("the connection kept alive from an earlier delivery closed without an answer;"
                                       " not sent again");
        return CURL_PREREQFUNC_ABORT;
    }
    transfer->requestIssued = true;
    return CURL_PREREQFUNC_OK;
}

} // namespace

int Sender::onSocket(void *, int socket, int what, void *userData, void *)
{
    auto *self = static_cast<Sender *>(userData);
    Watch *watch = self->m_watches.value(socket);
    // A notifier may be the one whose signal is running now: disable it at once, delete it later.
    const auto retire = [](QSocketNotifier *&notifier) {
        if (!notifier)
            return;
        notifier->setEnabled(false);
        notifier->deleteLater();
        notifier = nullptr;
    };
    if (what == CURL_POLL_REMOVE) {
        if (watch) {
            retire(watch->read);
            retire(watch->write);
            delete watch;
            self->m_watches.remove(socket);
        }
        return 0;
    }
    if (!watch)
        watch = self->m_watches.insert(socket, new Watch).value();
    const auto want = [self, socket](QSocketNotifier *&notifier, QSocketNotifier::Type type, int event, bool wanted) {
        if (!wanted) {
            if (notifier)
                notifier->setEnabled(false);
            return;
        }
        if (!notifier) {
            notifier = new QSocketNotifier(qintptr(socket), type, self);
            connect(notifier, &QSocketNotifier::activated, self, [self, socket, event] { self->drive(socket, event); });
        }
        notifier->setEnabled(true);
    };
    want(watch->read, QSocketNotifier::Read, CURL_CSELECT_IN, what == CURL_POLL_IN || what == CURL_POLL_INOUT);
    want(watch->write, QSocketNotifier::Write, CURL_CSELECT_OUT, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
    return 0;
}

int Sender::onTimer(void *, long timeoutMs, void *userData)
{
    auto *self = static_cast<Sender *>(userData);
    if (timeoutMs < 0)
        self->m_curlTimer->stop();
    else
        self->m_curlTimer->start(int(qMin<long>(timeoutMs, 24L * 3600 * 1000)));
    return 0;
}

Sender::Sender(QObject *parent)
    : QObject(parent)
    , m_curlTimer(new QTimer(this))
    , m_idleTimer(new QTimer(this))
{
    qRegisterMetaType<Delivery>();
    initCurlOnce();
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &Sender::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &Sender::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    // Idle connections kept for reuse: by default four per transfer running, which
    // closes them when a burst of deliveries thins out for a moment.
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(MaxIdleConnections));
    m_curlTimer->setSingleShot(true);
    connect(m_curlTimer, &QTimer::timeout, this, [this] { drive(CURL_SOCKET_TIMEOUT, 0); });
    connect(m_idleTimer, &QTimer::timeout, this, &Sender::sweepIdle);
}

Sender::~Sender()
{
    for (const std::shared_ptr<Transfer> &transfer : std::as_const(m_transfers)) {
        if (transfer->easy)
            curl_multi_remove_handle(m_multi, transfer->easy);
    }
    m_transfers.clear();
    curl_multi_cleanup(m_multi);
    qDeleteAll(m_watches);
}

void Sender::setTrustedCertificate(const QString &host, int port, const QByteArray &pem)
{
    const QString key = host.toLower() + u':' + QString::number(port);
    if (pem.isEmpty())
        m_trusted.remove(key);
    else
        m_trusted.insert(key, pem);
}

quint64 Sender::send(const Draft &draft, Delivery::Kind kind, qint64 hookId)
{
    auto transfer = std::make_shared<Transfer>();
    transfer->ticket = m_nextTicket++;
    transfer->sender = this;
    transfer->timer.start();
    Delivery &delivery = transfer->delivery;
    delivery.kind = kind;
    delivery.hookId = hookId;
    delivery.startedUs = nowUs();
    delivery.method = draft.method;
    delivery.url = draft.url.toString(QUrl::FullyEncoded);
    delivery.requestHeaders = draft.headers;
    delivery.requestBody = draft.body;
    m_transfers.insert(transfer->ticket, transfer);

    QString error;
    if (!draft.validate(&error))
        transfer->failure = error;
    else if (!start(transfer.get(), draft))
        transfer->failure = tr("cannot start the request: %1").arg(QString::fromUtf8(transfer->errorBuffer));
    if (!transfer->failure.isEmpty()) {
        QMetaObject::invokeMethod(this, [this, transfer] { complete(transfer, CURLE_OK); }, Qt::QueuedConnection);
        return transfer->ticket;
    }
    if (!m_idleTimer->isActive())
        m_idleTimer->start(qBound(20, m_timeoutMs / 8, 500));
    return transfer->ticket;
}

bool Sender::start(Transfer *transfer, const Draft &draft)
{
    CURL *easy = curl_easy_init();
    if (!easy)
        return false;
    transfer->easy = easy;
    transfer->url = draft.url.toString(QUrl::FullyEncoded).toUtf8();
    transfer->body = draft.body;
    transfer->https = draft.url.scheme() == u"https";

    curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void *>(transfer));
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->errorBuffer);
    curl_easy_setopt(easy, CURLOPT_URL, transfer->url.constData());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);   // the target as the draft has it, dot segments too
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PROXY, "");         // no proxy, whatever the environment says
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP09_ALLOWED, 0L);
    // Connections are kept alive and reused (a new one per delivery costs a third
    // of the time of a bulk replay), but a request is never written twice: see
    // onPrerequest(). A connection idle for longer than a receiver's usual
    // keep-alive timeout is not reused, which keeps the race with a receiver that
    // closes an idle connection, and so that refusal, rare.
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &onPrerequest);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, static_cast<void *>(transfer));
    curl_easy_setopt(easy, CURLOPT_MAXAGE_CONN, long(MaxIdleReuseSeconds));

    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void *>(transfer));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void *>(transfer));
    // The debug callback sees the request bytes as written; libcurl calls it only when verbose.
    curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &onDebug);
    curl_easy_setopt(easy, CURLOPT_DEBUGDATA, static_cast<void *>(transfer));
    curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);

    for (const http::HeaderField &field : draft.headers) {
        // "Name;" is libcurl's spelling of a field sent with an empty value ("Name:" alone removes one).
        const QByteArray line = field.value.trimmed().isEmpty() ? QByteArray(field.name + ';') : QByteArray(field.name + ": " + field.value);
        transfer->headers = curl_slist_append(transfer->headers, line.constData());
    }
    for (const char *name : CurlDefaults) {
        if (!http::contains(draft.headers, name))
            transfer->headers = curl_slist_append(transfer->headers, QByteArray(QByteArray(name) + ':').constData());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);

    const QByteArray &method = draft.method;
    if (method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);   // an answer to HEAD has no body to wait for
    } else if (draft.body.isEmpty() && goesWithoutBodyWhenEmpty(method)) {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        if (method != "GET")
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.constData());
    } else {
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(transfer->body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->body.isEmpty() ? "" : transfer->body.constData());
        if (method != "POST")
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.constData());
    }

    if (transfer->https) {
        const QByteArray pem = m_trusted.value(draft.url.host().toLower() + u':' + QString::number(draft.url.port(443)));
        if (!pem.isEmpty()) {
            // Only this certificate is trusted for the target; it names itself, not
            // necessarily the host it runs on.
            transfer->pem = pem;
            curl_blob blob{transfer->pem.data(), size_t(transfer->pem.size()), CURL_BLOB_COPY};
            curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &blob);
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
        }
    }

    transfer->touch();
    return curl_multi_add_handle(m_multi, easy) == CURLM_OK;
}

void Sender::drive(int socket, int events)
{
    int running = 0;
    curl_multi_socket_action(m_multi, curl_socket_t(socket), events, &running);
    collectDone();
}

void Sender::collectDone()
{
    // Finished transfers are gathered first: a slot of finished() may send again or
    // run an event loop, and must not do so inside the walk over libcurl's messages.
    QList<std::pair<std::shared_ptr<Transfer>, int>> done;
    int left = 0;
    while (CURLMsg *message = curl_multi_info_read(m_multi, &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        char *data = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &data);
        const auto *raw = reinterpret_cast<const Transfer *>(data);
        if (raw && m_transfers.contains(raw->ticket))
            done.append({m_transfers.value(raw->ticket), int(message->data.result)});
    }
    for (const auto &[transfer, code] : std::as_const(done))
        complete(transfer, code);
}

void Sender::complete(const std::shared_ptr<Transfer> &transfer, int curlCode)
{
    if (!m_transfers.contains(transfer->ticket))
        return;
    Delivery delivery = transfer->delivery;
    delivery.durationUs = transfer->timer.nsecsElapsed() / 1000;
    // Described while libcurl still knows how far the transfer got.
    if (transfer->failure.isEmpty() && curlCode != CURLE_OK)
        transfer->failure = describeFailure(transfer.get(), curlCode);
    if (CURL *easy = transfer->easy) {
        curl_off_t dns = 0, connect = 0, tls = 0, firstByte = 0;
        curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
        curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect);
        curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &tls);
        curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &firstByte);
        DeliveryTimings &t = delivery.timings;
        // Each phase reached ends no earlier than the one before it.
        qint64 floor = 0;
        const auto reached = [&floor](qint64 at, bool was) -> qint64 {
            if (!was)
                return -1;
            floor = qMax(floor, at);
            return floor;
        };
        t.dnsUs = reached(dns, dns > 0 || connect > 0);
        t.connectUs = reached(connect, connect > 0);
        t.tlsUs = reached(tls, transfer->https && tls > 0);
        t.firstByteUs = reached(firstByte, transfer->statusSeen && firstByte > 0);
        t.totalUs = reached(delivery.durationUs, true);
        curl_multi_remove_handle(m_multi, easy);
        curl_easy_cleanup(easy);
        transfer->easy = nullptr;
        if (!transfer->statusSeen) {
            delivery.status = 0;
            delivery.reason.clear();
            delivery.responseHeaders.clear();
        }
    }
    delivery.error = transfer->failure;
    m_transfers.remove(transfer->ticket);
    if (m_transfers.isEmpty())
        m_idleTimer->stop();
    emit finished(transfer->ticket, delivery);
}

void Sender::sweepIdle()
{
    const QList<std::shared_ptr<Transfer>> transfers = m_transfers.values();
    for (const std::shared_ptr<Transfer> &transfer : transfers) {
        if (!transfer->easy)
            continue;
        const qint64 now = transfer->timer.elapsed();
        // Until the answer's headers are in, trickling bytes do not keep a request
        // alive: the headers must arrive within one timeout of the request going out.
        const qint64 since = transfer->requestSent() && !transfer->headersDone ? transfer->requestSentMs
                                                                                : transfer->lastActivityMs;
        if (now - since < m_timeoutMs)
            continue;
        if (transfer->failure.isEmpty())
            transfer->failure = timeoutText(transfer.get());
        complete(transfer, CURLE_OPERATION_TIMEDOUT);
    }
}

QString Sender::timeoutText(const Transfer *transfer) const
{
    const QString after = tr("timed out after %1 s").arg(seconds(m_timeoutMs));
    if (!transfer->easy)
        return after;
    curl_off_t dns = 0, connect = 0, tls = 0;
    curl_easy_getinfo(transfer->easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
    curl_easy_getinfo(transfer->easy, CURLINFO_CONNECT_TIME_T, &connect);
    curl_easy_getinfo(transfer->easy, CURLINFO_APPCONNECT_TIME_T, &tls);
    QHostAddress literal;
    const bool isAddress = literal.setAddress(QUrl::fromEncoded(transfer->url).host());
    // libcurl counts an HTTPS connection as connected once its handshake is done.
    const bool connected = connect > 0 || transfer->tlsStarted;
    if (!connected && dns == 0 && !isAddress)
        return tr("%1 resolving the host name").arg(after);
    if (!connected)
        return tr("%1 connecting").arg(after);
    if (transfer->https && tls == 0)
        return tr("%1 in the TLS handshake").arg(after);
    if (!transfer->requestSent())
        return tr("%1 sending the request").arg(after);
    if (!transfer->statusSeen)
        return tr("%1 waiting for the answer").arg(after);
    if (!transfer->headersDone)
        return tr("%1 reading the answer's headers").arg(after);
    return tr("%1 reading the answer's body").arg(after);
}

QString Sender::describeFailure(const Transfer *transfer, int curlCode) const
{
    QString detail = QString::fromUtf8(transfer->errorBuffer).simplified();
    if (detail.isEmpty())
        detail = QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode)));
    const QString host = QUrl::fromEncoded(transfer->url).host();
    switch (CURLcode(curlCode)) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return tr("host not found: %1").arg(host);
    case CURLE_COULDNT_CONNECT: {
        long osError = 0;
        if (transfer->easy)
            curl_easy_getinfo(transfer->easy, CURLINFO_OS_ERRNO, &osError);
        if (osError == ECONNREFUSED)
            return tr("connection refused");
        if (osError == ENETUNREACH || osError == EHOSTUNREACH)
            return tr("cannot connect to %1: no route to the host").arg(host);
        return tr("cannot connect to %1: %2").arg(host, detail);
    }
    case CURLE_GOT_NOTHING:
        return transfer->requestSent() ? tr("the connection closed without an answer")
                                       : tr("the connection closed before the request was sent");
    case CURLE_UNSUPPORTED_PROTOCOL:
        if (detail.contains(u"HTTP/0.9"))
            return tr("the answer is not HTTP: it does not start with a status line");
        return tr("the answer is not HTTP: %1").arg(detail);
    case CURLE_WEIRD_SERVER_REPLY:
        return tr("the answer is not HTTP: %1").arg(detail);
    case CURLE_PARTIAL_FILE:
        return tr("the connection closed before the whole answer arrived");
    case CURLE_RECV_ERROR:
        if (detail.contains(u"chunk", Qt::CaseInsensitive))
            return tr("bad chunked framing in the answer: %1").arg(detail);
        if (detail.contains(u"reset", Qt::CaseInsensitive))
            return transfer->statusSeen ? tr("the connection was reset before the whole answer arrived")
                                        : tr("the connection was reset without an answer");
        return tr("receiving the answer failed: %1").arg(detail);
    case CURLE_SEND_ERROR:
        if (detail.contains(u"reset", Qt::CaseInsensitive) || detail.contains(u"broken pipe", Qt::CaseInsensitive))
            return tr("the connection was reset before the request was sent");
        return tr("sending the request failed: %1").arg(detail);
    case CURLE_PEER_FAILED_VERIFICATION:
        detail.remove(QStringLiteral("SSL certificate problem: "));
        return tr("TLS certificate problem: %1").arg(detail);
    case CURLE_SSL_CONNECT_ERROR:
        if (detail.contains(u"wrong version number"))
            return tr("TLS handshake failed: the target does not speak TLS on this port (is it http://?)");
        return tr("TLS handshake failed: %1").arg(detail);
    case CURLE_OPERATION_TIMEDOUT:
        return timeoutText(transfer);
    default:
        return detail;
    }
}

void Sender::abort(quint64 ticket, const QString &reason)
{
    const std::shared_ptr<Transfer> transfer = m_transfers.value(ticket);
    if (!transfer || !transfer->easy)
        return;
    if (transfer->failure.isEmpty())
        transfer->failure = reason;
    complete(transfer, CURLE_ABORTED_BY_CALLBACK);
}

void Sender::abortAll(const QString &reason)
{
    const QList<quint64> tickets = m_transfers.keys();
    for (const quint64 ticket : tickets)
        abort(ticket, reason);
}

Delivery Sender::sendAndWait(const Draft &draft, Delivery::Kind kind, qint64 hookId, int maxWaitMs)
{
    if (maxWaitMs < 0)
        maxWaitMs = qMax(60'000, 3 * m_timeoutMs);
    QEventLoop loop;
    Delivery result;
    const quint64 ticket = send(draft, kind, hookId);
    connect(this, &Sender::finished, &loop, [&](quint64 finishedTicket, const Delivery &delivery) {
        if (finishedTicket != ticket)
            return;
        result = delivery;
        loop.quit();
    });
    QTimer bound;
    bound.setSingleShot(true);
    connect(&bound, &QTimer::timeout, &loop, [&] {
        abort(ticket, tr("no complete response within %1 s").arg(seconds(maxWaitMs)));
    });
    bound.start(maxWaitMs);
    loop.exec();
    return result;
}
