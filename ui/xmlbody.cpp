#include "xmlbody.h"

#include <QCoreApplication>
#include <QTreeWidget>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace ui {

namespace {

QString readerError(const QXmlStreamReader &reader)
{
    return QCoreApplication::translate("ui::BodyView", "line %1, column %2: %3")
        .arg(reader.lineNumber())
        .arg(reader.columnNumber())
        .arg(reader.errorString());
}

} // namespace

QString prettyXml(const QByteArray &xml, QString *error)
{
    QXmlStreamReader reader(xml);
    // Names as the sender wrote them: prefixes and xmlns attributes kept, none made up.
    reader.setNamespaceProcessing(false);
    QString out;
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    while (!reader.atEnd()) {
        reader.readNext();
        // Whitespace between elements is layout: the writer makes its own.
        if (reader.isWhitespace())
            continue;
        if (reader.tokenType() == QXmlStreamReader::StartDocument) {
            // The declaration as it was, encoding included (the writer would leave that out).
            out += u"<?xml version=\"" + reader.documentVersion() + u'"';
            if (!reader.documentEncoding().isEmpty())
                out += u" encoding=\"" + reader.documentEncoding() + u'"';
            if (reader.isStandaloneDocument())
                out += u" standalone=\"yes\"";
            out += u"?>";
        } else if (reader.tokenType() == QXmlStreamReader::StartElement) {
            writer.writeStartElement(reader.qualifiedName().toString());
            writer.writeAttributes(reader.attributes());
        } else if (reader.tokenType() != QXmlStreamReader::Invalid) {
            writer.writeCurrentToken(reader);
        }
    }
    if (reader.hasError()) {
        *error = readerError(reader);
        return {};
    }
    error->clear();
    return out.trimmed();
}

void fillXmlTree(QTreeWidget *tree, const QByteArray &xml)
{
    tree->clear();
    QXmlStreamReader reader(xml);
    QTreeWidgetItem *current = nullptr;
    QList<QTreeWidgetItem *> top;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            auto *item = new QTreeWidgetItem({reader.qualifiedName().toString(), QString()});
            for (const QXmlStreamAttribute &attribute : reader.attributes())
                item->addChild(new QTreeWidgetItem({u'@' + attribute.qualifiedName().toString(), attribute.value().toString()}));
            if (current) {
                current->addChild(item);
                current->setData(0, Qt::UserRole, true);   // it holds elements
            } else
                top.append(item);
            current = item;
            break;
        }
        case QXmlStreamReader::EndElement:
            if (current) {
                current->setText(1, current->text(1).trimmed());
                current = current->parent();
            }
            break;
        case QXmlStreamReader::Characters:
            if (current && !reader.isWhitespace()) {
                // An element holding only text shows it beside its name; entities come as pieces.
                const bool elements = current->data(0, Qt::UserRole).toBool();
                if (!elements)
                    current->setText(1, current->text(1) + reader.text());
                else
                    current->addChild(new QTreeWidgetItem({QCoreApplication::translate("ui::BodyView", "(text)"), reader.text().toString().trimmed()}));
            }
            break;
        default:
            break;
        }
    }
    tree->addTopLevelItems(top);
    tree->expandToDepth(2);
}

} // namespace ui
