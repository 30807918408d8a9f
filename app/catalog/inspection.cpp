#include "inspection.h"

namespace catalog {

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::NotConfigured: return QStringLiteral("not-configured");
    case Verdict::Valid: return QStringLiteral("valid");
    case Verdict::Invalid: return QStringLiteral("invalid");
    case Verdict::Missing: return QStringLiteral("missing");
    case Verdict::NotUsed: return QStringLiteral("not-used");
    case Verdict::Unverifiable: return QStringLiteral("unverifiable");
    case Verdict::OutsideTolerance: return QStringLiteral("outside-tolerance");
    }
    return QStringLiteral("not-configured");
}

QString verdictText(Verdict verdict)
{
    switch (verdict) {
    case Verdict::NotConfigured: return QStringLiteral("not configured");
    case Verdict::NotUsed: return QStringLiteral("not used");
    case Verdict::OutsideTolerance: return QStringLiteral("timestamp outside the tolerance");
    default: return verdictName(verdict);
    }
}

QList<Verdict> allVerdicts()
{
    return {Verdict::NotConfigured, Verdict::Valid,        Verdict::Invalid,         Verdict::Missing,
            Verdict::NotUsed,       Verdict::Unverifiable, Verdict::OutsideTolerance};
}

QString verdictNameList()
{
    const QList<Verdict> verdicts{Verdict::Valid,   Verdict::Invalid,      Verdict::Missing,         Verdict::NotConfigured,
                                  Verdict::NotUsed, Verdict::Unverifiable, Verdict::OutsideTolerance};
    QStringList names;
    for (Verdict v : verdicts)
        names.append(verdictName(v));
    const QString last = names.takeLast();
    return names.join(QLatin1String(", ")) + u" or " + last;
}

bool verdictFromName(QStringView name, Verdict *verdict)
{
    for (Verdict v : allVerdicts()) {
        if (name == verdictName(v)) {
            *verdict = v;
            return true;
        }
    }
    return false;
}

void Inspection::markUnusedCredentials()
{
    if (provider == u"github" || provider == u"standard-webhooks")
        secret = Verdict::NotUsed;
    else if (provider == u"codewars")
        signature = Verdict::NotUsed;
}

void Inspection::markRelayed()
{
    if (signature == Verdict::Invalid)
        signature = Verdict::Unverifiable;
}

Verdict Inspection::authenticityOf(QStringView provider, Verdict secret, Verdict signature)
{
    if (provider == u"github" || provider == u"standard-webhooks")
        return signature;
    if (provider == u"codewars")
        return secret;
    // Unknown sender: whichever credential it brought decides.
    if (secret == Verdict::Valid || signature == Verdict::Valid)
        return Verdict::Valid;
    if (secret == Verdict::Invalid || signature == Verdict::Invalid)
        return Verdict::Invalid;
    if (signature == Verdict::OutsideTolerance || signature == Verdict::Unverifiable)
        return signature;
    return secret;
}

} // namespace catalog
