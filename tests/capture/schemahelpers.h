#pragma once

// Takes a store's tables back to the shape of an older schema, for the migration tests, and
// reads its rows as they are on the file.

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <functional>

// Takes the deliveries table back to what it was before schema 5.
inline void dropSchema5Columns(QSqlQuery &q)
{
    for (const char *column : {"request_head", "body_from_hook", "dns_us", "connect_us", "tls_us", "first_byte_us", "total_us"}) {
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE deliveries DROP COLUMN ") + QLatin1StringView(column)),
                 qPrintable(q.lastError().text()));
    }
}

// Takes the hooks table back to what it was before schema 7.
inline void dropSchema7Columns(QSqlQuery &q)
{
    QVERIFY2(q.exec(QStringLiteral("DROP INDEX hooks_body_segment")), qPrintable(q.lastError().text()));
    for (const char *column : {"body_segment", "body_offset", "body_checksum"}) {
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN ") + QLatin1StringView(column)),
                 qPrintable(q.lastError().text()));
    }
}

// Takes the store file back to what an older hookscope left: rewind() undoes
// what came after, then the schema says so.
inline void rewindSchema(const QString &path, int version, const std::function<void(QSqlQuery &)> &rewind)
{
    const QString name = QStringLiteral("v%1").arg(version);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        rewind(q);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=%1").arg(version)));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

// The rows of a query for integers on the store file, through a connection of its own.
inline QList<QList<qint64>> rawRows(const QString &path, const QString &sql)
{
    QList<QList<qint64>> rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        q.exec(sql);
        while (q.next()) {
            QList<qint64> row;
            for (int i = 0; i < q.record().count(); ++i)
                row.append(q.value(i).toLongLong());
            rows.append(row);
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return rows;
}
