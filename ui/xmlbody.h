#pragma once

#include <QByteArray>
#include <QString>

class QTreeWidget;

namespace ui {

// An XML body indented two spaces a level; *error says where and why when it is
// not well-formed (and the result is then empty).
QString prettyXml(const QByteArray &xml, QString *error);
// Elements as a tree: name, then attributes (as "@name") and text as children.
void fillXmlTree(QTreeWidget *tree, const QByteArray &xml);

} // namespace ui
