"""After the other apps' demo data (bulk-made, bypassing the services): count it for the status."""

from forpost.core.demo import DemoContext
from forpost.registrations.counts import rebuild

ORDER = 95


# The demo's foreword to last year's status, as central staff might write it for the council.
FOREWORD = (
    "Familierådgivningerne tog også i år imod familier fra hele byen, oftest før en sag var oprettet. "
    "Sammendraget på de næste sider viser hovedtallene og udviklingen fra sidste år, hvordan hver "
    "rådgivning lever op til konceptet, og hvad der kræver opmærksomhed i det kommende år."
)


def build(ctx: DemoContext) -> None:
    rows = rebuild()
    ctx.say(f"Annual status: {rows:,} count rows built from the registrations.\n")
    if not ctx.scale:
        from .models import Foreword

        Foreword.objects.get_or_create(
            year=ctx.today.year - 1, defaults={"text": FOREWORD, "signed": "Kontorchef, Børne- og Ungdomsforvaltningen"}
        )
