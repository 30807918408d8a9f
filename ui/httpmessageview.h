#pragma once

#include "bodyrendering.h"
#include "theme.h"

#include "http/headers.h"

#include <QWidget>

#include <optional>

class QLabel;
class QSplitter;

namespace ui {

class BodyView;
class HeadersTable;

// One HTTP message: a summary line (status, timing), its headers and its body.
// Used for hookscope's answer, a delivery's response and the composer's result.
class HttpMessageView : public QWidget
{
    Q_OBJECT

public:
    explicit HttpMessageView(QWidget *parent = nullptr);

    void setMessage(const QString &summary, const http::HeaderList &headers, const QByteArray &body,
                    std::optional<Tone> tone = std::nullopt);
    // The body already looked at (on another thread: see renderBody()).
    void setMessage(const QString &summary, const http::HeaderList &headers, const QByteArray &body,
                    const BodyRendering &rendering, std::optional<Tone> tone = std::nullopt);
    void showPlaceholder(const QString &text);

    QString summary() const;
    QLabel *summaryLabel() const { return m_summary; }
    HeadersTable *headersTable() const { return m_headers; }
    BodyView *bodyView() const { return m_body; }
    QSplitter *splitter() const { return m_splitter; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void colourSummary();
    void fitHeaders();

    QLabel *m_summary;
    QSplitter *m_splitter;
    HeadersTable *m_headers;
    BodyView *m_body;
    std::optional<Tone> m_tone;
};

// The tone of an HTTP status: 2xx good, 3xx info, 4xx warning, 5xx and none bad.
Tone statusTone(int status);

} // namespace ui
