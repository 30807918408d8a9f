#pragma once

#include <QByteArray>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

class QSqlDatabase;

// A prepared statement on the native handle of a Qt Sql SQLite connection.
// The store uses it where Qt Sql's per-value QVariant cost shows: inserting
// hooks under load and streaming a million rows into the capture list.
class SqliteStatement
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // The sqlite3 handle behind a QSQLITE connection, or nullptr.
    static sqlite3 *handleOf(const QSqlDatabase &db);
    static bool exec(sqlite3 *db, const char *sql, QString *error);

    bool prepare(sqlite3 *db, const QByteArray &sql);
    void finalize();
    bool isPrepared() const { return m_stmt != nullptr; }
    QString errorString() const;

    // Bind positions count from 1, as in SQLite.
    void bindNull(int index);
    void bind(int index, qint64 value);
    void bind(int index, const QByteArray &blob);   // copied by SQLite
    void bind(int index, const QString &text);
    // Not copied: the bytes must stay alive and unchanged until the statement is reset.
    void bindStatic(int index, QByteArrayView blob);
    void bindStaticText(int index, QByteArrayView utf8);

    // True while a row is ready; false at the end or on an error (see ok()).
    bool step();
    // Runs a statement that returns no rows and resets it for the next use.
    bool run();
    bool ok() const { return m_ok; }
    void reset();

    qint64 int64(int column) const;
    QByteArray blob(int column) const;
    QString text(int column) const;
    qint64 lastInsertRowId() const;

    template<typename T>
    T value(int column) const;
    // Whether the column holds exactly these bytes (UTF-8 for a QString).
    bool sameBytes(int column, const QByteArray &bytes) const;
    bool sameBytes(int column, const QString &text) const;

private:
    QByteArrayView columnBytes(int column) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_ok = true;
};

template<>
inline QByteArray SqliteStatement::value<QByteArray>(int column) const
{
    return blob(column);
}

template<>
inline QString SqliteStatement::value<QString>(int column) const
{
    return text(column);
}
