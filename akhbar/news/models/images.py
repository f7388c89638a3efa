"""Images with a photo credit: every published photo says whose it is."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    """A Wagtail image plus ``credit`` (photographer / agency), shown in captions.

    Wagtail's ``description`` field holds the default alt text; a figure may
    override it for the context it is used in.
    """

    credit = models.CharField(_("photo credit"), max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("credit",)

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_newsimage", "Can choose image")]


#: Rendition file name → public URL, per process (bounded): building a URL through the storage
#: (``urljoin``, percent-encoding) costs ~20 µs and a card's ``{% picture %}`` asks for ten.
_URLS: dict[tuple, str] = {}
_MAX_URLS = 50_000


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    @property
    def url(self) -> str:
        """The file's URL, memoised by file name (a rendition file never changes once written).

        Not memoised for storages that sign their URLs (``querystring_auth``): those expire.
        """
        # The file's name as loaded (a str until the FieldFile is made; Django's FileDescriptor
        # builds and checks that on every access) and its field's storage, which the FieldFile
        # would hand over.
        raw = self.__dict__.get("file")
        name = raw if type(raw) is str else getattr(raw, "name", None)
        if not name:
            return self.file.url  # no file: Django's error
        storage = self._meta.get_field("file").storage
        key = (getattr(storage, "base_url", None), name)  # MEDIA_URL is part of the key
        found = _URLS.get(key)
        if found is None:
            found = self.file.url
            if not getattr(storage, "querystring_auth", False):
                if len(_URLS) >= _MAX_URLS:
                    _URLS.clear()
                _URLS[key] = found
        return found

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
