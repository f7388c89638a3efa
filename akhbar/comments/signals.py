"""Signals other apps can listen to.

``comment_published``
    Sent (after the database transaction commits) whenever what an article
    shows of its comments changes: a comment approved, a published comment
    edited, rejected, marked as spam or deleted, a data request erased
    published comments, or the article's comment switch changed (the form
    appears or disappears). Arguments: ``sender`` (the ``Comment`` class),
    ``article`` (the live ``ArticlePage``), ``action`` (``"approved"``,
    ``"edited"``, ``"removed"`` or ``"switched"``).

    A full-page cache connects a receiver that purges the article's page,
    e.g.::

        from akhbar.comments.signals import comment_published

        def purge_article(sender, article, **kwargs):
            purge_page(article)  # the cache layer's own function

        comment_published.connect(purge_article)

    The comment listing pages ``/comments/<article id>/`` (and ``/en/...``)
    change at the same moments; ``akhbar.comments.urls.public_paths(article)``
    lists the paths to purge besides the article page itself.

    Not sent for comments that wait for moderation: nothing public changes then.
    Switching a whole section open or closed sends ``section_comments_switched``
    instead (one signal, not one per article of the section).

``section_comments_switched``
    Sent (after commit) when comments were opened, closed or reset for a whole
    section: the form of every article of that section whose own switch is
    *default* may appear or disappear. Arguments: ``sender`` (the
    ``Discussion`` class), ``section`` (the ``SectionPage``), ``mode``
    (``"open"``, ``"closed"``, ``"default"``). The page cache purges the
    article pages of that section (``akhbar.edge``, tag ``comments:<id>``).

``commenter_erased``
    Sent (after commit) when a reader's erasure request was carried out
    (``akhbar.comments.actions.erase_commenter``). Arguments: ``sender`` (the
    ``Comment`` class), ``email`` (lower-cased). Apps that keep their own copy
    of comments (the WordPress importer keeps the export's rows) erase theirs.
"""

from django.dispatch import Signal

comment_published = Signal()
section_comments_switched = Signal()
commenter_erased = Signal()
