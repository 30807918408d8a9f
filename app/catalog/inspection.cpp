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
    }
    return QStringLiteral("not-configured");
}

bool verdictFromName(QStringView name, Verdict *verdict)
{
    for (Verdict v : {Verdict::NotConfigured, Verdict::Valid, Verdict::Invalid, Verdict::Missing, Verdict::NotUsed,
                      Verdict::Unverifiable}) {
        if (name == verdictName(v)) {
            *verdict = v;
            return true;
        }
    }
    return false;
}

void Inspection::markUnusedCredentials()
{
    if (provider == u"github")
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
    if (provider == u"github")
        return signature;
    if (provider == u"codewars")
        return secret;
    // Unknown sender: whichever credential it brought decides.
    if (secret == Verdict::Valid || signature == Verdict::Valid)
        return Verdict::Valid;
    if (secret == Verdict::Invalid || signature == Verdict::Invalid)
        return Verdict::Invalid;
    if (signature == Verdict::Unverifiable)
        return signature;
    return secret;
}

} // namespace catalog
