"""After the other apps' demo data (bulk-made, bypassing the services): count it for the status."""

from forpost.core.demo import DemoContext
from forpost.registrations.counts import rebuild

ORDER = 95


def build(ctx: DemoContext) -> None:
    rows = rebuild()
    ctx.say(f"Annual status: {rows:,} count rows built from the registrations.\n")
