def wants_partial(request) -> bool:
    """True when an htmx request wants only the swappable region of a page.

    Boosted and history-restore requests need the whole page.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
