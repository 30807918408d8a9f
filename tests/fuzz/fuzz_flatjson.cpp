// Fuzz target for catalog::FlatJson, against QJsonDocument: a text FlatJson
// reads, QJsonDocument must read too and to the same values, and every member
// and element FlatJson hands out must be the one QJsonDocument has there. (What
// FlatJson leaves alone is QJsonDocument's to judge, so nothing is asked of it.)

#include "fuzzinput.h"

#include "catalog/flatjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

void checkSame(const catalog::FlatJson::Value &value, const QJsonValue &expected)
{
    FUZZ_CHECK(value.type() == expected.type());
    FUZZ_CHECK(value.toJsonValue() == expected);
    if (expected.isObject()) {
        const QJsonObject object = expected.toObject();
        const catalog::FlatJson::Object members = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            FUZZ_CHECK(members.contains(it.key()));
            checkSame(members.value(it.key()), it.value());
        }
        FUZZ_CHECK(!members.contains(QString(object.keys().join(QString()) + u'\x1f')));
    } else if (expected.isArray()) {
        const QJsonArray array = expected.toArray();
        const catalog::FlatJson::Array elements = value.toArray();
        FUZZ_CHECK(elements.size() == array.size());
        for (qsizetype i = 0; i < array.size(); ++i)
            checkSame(elements.at(i), array.at(i));
        FUZZ_CHECK(elements.at(array.size()).isUndefined());
    } else if (expected.isString()) {
        FUZZ_CHECK(value.toString() == expected.toString());
        catalog::FlatJson::Value::TextBuffer buffer;
        FUZZ_CHECK(value.text(buffer) == expected.toString());
    } else if (expected.isDouble()) {
        FUZZ_CHECK(value.toDouble() == expected.toDouble());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    catalog::FlatJson json;
    if (!json.parse(text)) {
        FUZZ_CHECK(json.root().isUndefined());
        return 0;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError);
    checkSame(json.root(), document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()));
    return 0;
}
