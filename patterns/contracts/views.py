"""The contracts page (/contracts/): every contract, readable by a learner, with examples, the
documents to download, and the versioning demo."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from patterns.site.styles import IDEA, STYLES

from . import catalogue, registry, versioning


@require_GET
def contracts_page(request):
    groups = catalogue.catalogue()
    context = {
        "idea": IDEA,
        "groups": groups,
        "total": sum(len(entries) for _, _, entries in groups),
        "channels": registry.CHANNELS,
        "consumers": versioning.CONSUMERS,
        "versions": [catalogue.entry(c) for c in registry.versions(versioning.NAME)],
        "built_keys": [s.key for s in STYLES] + ["ping"],
    }
    return render(request, "contracts/page.html", context)
