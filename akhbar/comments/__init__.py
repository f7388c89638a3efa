"""Reader comments: a small app of akhbar's own (issue 3).

Why not a library. django-contrib-comments (the former ``django.contrib.comments``)
and django-comments-xtd (threads on top of it) were weighed against the rules
and fail several of them, so the parts that fit would be a thin base under
much larger overrides:

* Full-page caching: their form carries a security hash and a timestamp made
  when the page is rendered and refuses posts more than two hours later
  (``COMMENTS_TIMEOUT``), and their ``post_comment`` view requires Django's
  per-visitor CSRF token. A cached article page breaks both. Here the page
  carries no per-visitor data; a signed token is fetched when the form is used
  (``tokens``, ``static/comments/comments.js``) and the post endpoint checks
  ``Origin``/``Referer`` instead of a CSRF cookie (``views``).
* Moderation in the Wagtail admin: both ship Django-admin moderation; the
  Wagtail queue, bulk actions, page buttons and switches would be ours anyway
  (``wagtail_hooks``).
* Hostile input and spam: neither normalises Unicode or strips bidi and
  zero-width characters, and neither has rate limits, duplicate detection by
  fingerprint or an editor-managed blocklist (``text``, ``blocklist``,
  ``ratelimit``, ``actions``). django-comments-xtd also sends a confirmation
  email to every commenter by default, which this site does not want.
* Data model: a generic foreign key (content type + text ``object_pk``) and a
  copy of the email on every row are general but slow for the card count and
  the 10,000-comment article; here a comment points at ``news.ArticlePage``,
  the published count is kept per page (``Discussion.approved_count``, joined
  by ``ArticlePage.objects.listing()``) and threads are read in order from one
  indexed ``thread_path`` column.

What the app provides (see docs/comments.md):

* ``models``: ``Comment``, ``Discussion`` (per-page switch + count), ``BlockedTerm``.
* ``actions``: every state change (post, approve/reject/spam, edit, delete,
  switches, export and erase by email).
* ``queries``: open/closed rules, pages of a discussion, card counts.
* ``signals.comment_published``: sent when an article's public comments change,
  for the full-page cache to purge that article.
* ``templatetags.comments_tags``: ``{% article_comments page %}``, ``{% comment_count article %}``.
"""
