"""Attachments from ``--media-dir`` (a copy of ``wp-content/uploads``) → images and documents.

Nothing is fetched from the network: a file that is not in the media folder
is listed in the report as missing and the figure that needed it is left out
(the next import, with the file present, adds it). Paths from the export are
treated as hostile: absolute paths, ``..`` and symlinks leading out of the
media folder are refused. Images are checked with Pillow before they are
stored; other files (PDF, ...) become Wagtail documents.

Each attachment is imported once per site (``WxrItem`` kind ``attachment``)
and reused by every post that shows it. The image's ``description`` is the
attachment's alt text (Wagtail's default alt), ``credit`` its credit meta or
the IPTC credit/copyright WordPress read from the file.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from PIL import Image as PILImage

from akhbar.news.models import NewsImage

from ..models import WxrItem
from .convert import ImageRef, text_of
from .scan import Attachment, ScanResult

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "avif"}
MAX_FILE_BYTES = 100 * 1024 * 1024


class MediaError(ValueError):
    """An attachment file that cannot be used; ``str(err)`` is the reason."""


def safe_media_path(media_dir: Path, relative: str) -> Path:
    """``media_dir / relative`` if it stays inside ``media_dir`` (after resolving symlinks)."""
    relative = (relative or "").replace("\\", "/").strip()
    if not relative or relative.startswith("/") or any(part == ".." for part in relative.split("/")) or "\x00" in relative:
        raise MediaError(f"unsafe path {relative!r}")
    root = media_dir.resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        raise MediaError(f"path leaves the media folder: {relative!r}")
    return candidate


class MediaLibrary:
    """Finds, imports and caches attachments for one import run.

    ``image(attachment_id, src)`` is the converter's resolver: it returns an
    :class:`ImageRef` (``image_id`` 0 in a dry run) or ``None`` when the
    attachment is unknown or its file is missing/unusable (recorded in
    ``missing``).
    """

    def __init__(self, site, index: ScanResult, media_dir: Path | None, dry_run: bool, report, cache_size: int = 5000):
        self.site = site
        self.index = index
        self.media_dir = Path(media_dir) if media_dir else None
        self.dry_run = dry_run
        self.report = report
        self.cache: OrderedDict[int, ImageRef | None] = OrderedDict()
        self.cache_size = cache_size
        self.current_post: int | None = None
        self.incomplete = False  # set when a lookup failed for the current post
        self.imported_ids: set[int] = set()  # attachments imported (or, dry run, found) in this run
        self._image_ct = ContentType.objects.get_for_model(NewsImage)

    # -- converter protocol --------------------------------------------------
    def image(self, attachment_id: int | None, src: str = "") -> ImageRef | None:
        attachment = None
        if attachment_id is not None:
            attachment = self.index.attachment(attachment_id)
        if attachment is None and src:
            attachment = self.index.attachment_by_url(src)
        if attachment is None:
            self.incomplete = True
            self.report.missing_media(f"{src or attachment_id} (no attachment in the export)", self.current_post)
            return None
        if attachment.id in self.cache:
            self.cache.move_to_end(attachment.id)
            ref = self.cache[attachment.id]
        else:
            ref = self._load(attachment)
            self.cache[attachment.id] = ref
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        if ref is None:
            self.incomplete = True
        return ref

    def gallery_children(self) -> list[int]:
        return self.index.children_attachments(self.current_post) if self.current_post else []

    # -- import ----------------------------------------------------------------
    def _ref(self, attachment: Attachment, image_id: int, credit: str = "") -> ImageRef:
        return ImageRef(
            image_id=image_id,
            attachment_id=attachment.id,
            alt=" ".join(attachment.alt.split())[:500],
            caption=text_of(attachment.caption)[:1000],
            credit=(credit or attachment.credit)[:255],
        )

    def _load(self, attachment: Attachment) -> ImageRef | None:
        if self.site is not None:
            known = WxrItem.objects.filter(site=self.site, kind=WxrItem.ATTACHMENT, wp_id=str(attachment.id)).first()
            if known and known.content_type_id == self._image_ct.pk and known.object_id:
                image = NewsImage.objects.filter(pk=known.object_id).only("pk", "credit").first()
                if image is not None:
                    return self._ref(attachment, image.pk, image.credit)
        try:
            path = self.locate(attachment)
            if not is_image_name(path.name):
                raise MediaError(f"not an image: {path.name}")
            check_image(path)
        except MediaError as exc:
            self.report.missing_media(f"{attachment.file or attachment.url}: {exc}", self.current_post)
            return None
        self.imported_ids.add(attachment.id)
        if self.dry_run:
            self.report.count("attachment", "imported")
            return self._ref(attachment, 0)
        image = self.store_image(attachment, path)
        return self._ref(attachment, image.pk, image.credit)

    def locate(self, attachment: Attachment) -> Path:
        if self.media_dir is None:
            raise MediaError("no --media-dir given")
        if not attachment.file:
            raise MediaError("the export names no file")
        path = safe_media_path(self.media_dir, attachment.file)
        if not path.is_file():
            raise MediaError("file not found in the media folder")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MediaError("file larger than 100 MB")
        return path

    @transaction.atomic
    def store_image(self, attachment: Attachment, path: Path) -> NewsImage:
        """Create the ``NewsImage`` and its ``WxrItem`` (one transaction)."""
        with open(path, "rb") as handle:
            image = NewsImage(
                title=(text_of(attachment.title) or path.stem)[:255],
                description=" ".join(attachment.alt.split())[:255],
                credit=attachment.credit[:255],
            )
            image.file.save(path.name, File(handle), save=False)
        image._set_image_file_metadata()
        image.save()
        self.remember(attachment, image)
        self.report.count("attachment", "imported")
        return image

    def remember(self, attachment: Attachment, obj):
        WxrItem.objects.update_or_create(
            site=self.site,
            kind=WxrItem.ATTACHMENT,
            wp_id=str(attachment.id),
            defaults={
                "content_type": ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
                "wp_status": "inherit",
                "wp_url": (attachment.url or "")[:2000],
                "digest": file_digest(attachment),
            },
        )

    @transaction.atomic
    def store_document(self, attachment: Attachment, path: Path):
        from wagtail.documents import get_document_model

        Document = get_document_model()
        with open(path, "rb") as handle:
            document = Document(title=(text_of(attachment.title) or path.stem)[:255])
            document.file.save(path.name, File(handle), save=False)
        document._set_document_file_metadata()
        document.save()
        self.remember(attachment, document)
        return document


def file_digest(attachment: Attachment) -> str:
    return hashlib.sha1(repr((attachment.file, attachment.alt, attachment.caption, attachment.credit, attachment.title)).encode()).hexdigest()


def is_image_name(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS if "." in name else False


def check_image(path: Path) -> None:
    """Raise :class:`MediaError` unless Pillow reads ``path`` as an image of sane size."""
    limit = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
    try:
        with PILImage.open(path) as img:
            width, height = img.size
            img.verify()
    except Exception as exc:  # Pillow raises many kinds
        raise MediaError(f"unreadable image ({type(exc).__name__})") from None
    if width * height > limit:
        raise MediaError(f"image too large ({width}×{height})")


__all__ = ["MediaError", "MediaLibrary", "check_image", "safe_media_path"]
