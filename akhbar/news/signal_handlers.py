"""Side effects of newsroom events, connected in ``NewsConfig.ready``."""


def connect() -> None:
    """Nothing yet: caching, search and syndication apps attach their own handlers."""
