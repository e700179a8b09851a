"""Small helpers for building the page tree from code (the demo commands)."""


def ensure_child(parent, model, slug, **fields):
    """The live child of ``parent`` with ``slug``, created and published if missing.

    Looking up before creating is what lets ``seed_demo`` run again without duplicates.
    """
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
