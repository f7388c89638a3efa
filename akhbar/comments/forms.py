"""The reader's comment form: name*, email*, comment*, plus hidden thread, token and honeypot fields.

Field rules run on the cleaned text (``text.clean_*``), so limits count what
is stored, not the bytes a browser sent (a textarea submits CRLF line ends).
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator, validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.utils.translation import ngettext

from . import conf
from .actions import CommentData
from .text import UnreadableText, check_readable, clean_body, clean_email, clean_name, find_links, has_letter_or_digit

#: Longest email address stored (RFC 5321 forward-path, and ``Comment.email``'s column).
EMAIL_MAX_LENGTH = 254
#: Name of the honeypot field: hidden from people by CSS, tempting to bots.
HONEYPOT_FIELD = "homepage"

UNREADABLE_MESSAGES = {
    "nul": _("This field contains a NUL character, which cannot be stored. Please remove it."),
    "invalid_utf8": _("This field contains bytes that are not valid text (UTF-8). Please retype the affected characters."),
}


def _raw(value) -> str:
    return value if isinstance(value, str) else ""


class RawTextField(forms.CharField):
    """A ``CharField`` that leaves NUL characters to the form's own clean methods (which explain them)."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, required=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class CommentForm(forms.Form):
    """Validates a comment's fields; ``comment_data()`` gives the cleaned ``CommentData``.

    Token, honeypot and thread checks that depend on the article live in
    ``actions.post_comment``; this form only says whether each field is usable.
    """

    name = RawTextField(label=pgettext_lazy("reader comments", "Name"))
    email = RawTextField(label=pgettext_lazy("reader comments", "Email"))
    body = RawTextField(label=pgettext_lazy("reader comments", "Comment"), widget=forms.Textarea)
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    error_messages = {
        "name_required": _("Please enter your name."),
        "name_long": _("Your name is too long: at most %(limit)d characters (you wrote %(length)d)."),
        "name_link": _("A name cannot contain a link."),
        "email_required": _("Please enter your email address. It will not be published."),
        "email_invalid": _("Please enter a valid email address, like name@example.com."),
        "body_required": _("Please write your comment."),
        "body_short": _("Your comment is too short."),
    }

    def _readable(self, field: str) -> str:
        value = _raw(self.data.get(self.add_prefix(field), ""))
        try:
            check_readable(value)
        except UnreadableText as exc:
            raise forms.ValidationError(UNREADABLE_MESSAGES[exc.code], code=exc.code) from None
        return value

    def clean_name(self):
        name = clean_name(self._readable("name"))
        if not name or not has_letter_or_digit(name):
            raise forms.ValidationError(self.error_messages["name_required"], code="required")
        if len(name) > conf.NAME_MAX_LENGTH:
            raise forms.ValidationError(
                self.error_messages["name_long"], code="max_length", params={"limit": conf.NAME_MAX_LENGTH, "length": len(name)}
            )
        if find_links(name):
            raise forms.ValidationError(self.error_messages["name_link"], code="link")
        return name

    def clean_email(self):
        email = clean_email(self._readable("email"))
        if not email:
            raise forms.ValidationError(self.error_messages["email_required"], code="required")
        try:
            if len(email) > EMAIL_MAX_LENGTH:  # RFC 5321 path limit; the validator allows up to 320
                raise forms.ValidationError("too long")
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["email_invalid"], code="invalid") from None
        return email

    def clean_body(self):
        body = clean_body(self._readable("body"))
        if not body:
            raise forms.ValidationError(self.error_messages["body_required"], code="required")
        if len(body) < conf.BODY_MIN_LENGTH or not has_letter_or_digit(body):
            raise forms.ValidationError(self.error_messages["body_short"], code="min_length")
        limit = int(conf.get("AKHBAR_COMMENT_MAX_LENGTH"))
        if len(body) > limit:
            message = ngettext(
                "Your comment is too long: at most %(limit)d characters, you wrote %(length)d character.",
                "Your comment is too long: at most %(limit)d characters, you wrote %(length)d characters.",
                len(body),
            ) % {"limit": limit, "length": len(body)}
            raise forms.ValidationError(message, code="max_length")
        return body

    def clean_parent(self):
        value = _raw(self.data.get(self.add_prefix("parent"), "")).strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 15 else None

    def clean_token(self):
        return _raw(self.data.get(self.add_prefix("token"), "")).strip()[:512]

    def clean_homepage(self):
        return _raw(self.data.get(self.add_prefix(HONEYPOT_FIELD), "")).strip()

    def comment_data(self) -> CommentData:
        data = self.cleaned_data
        return CommentData(name=data["name"], email=data["email"], body=data["body"], parent_id=data.get("parent"))

    def kept_data(self, **overrides) -> dict[str, str]:
        """The reader's input to show again after a rejection: unchanged except NUL characters
        (which HTML cannot carry), plus ``overrides`` (e.g. a fresh token)."""
        kept = {}
        for field in ("name", "email", "body", "parent", "token"):
            kept[field] = _raw(self.data.get(self.add_prefix(field), "")).replace("\x00", "")
        kept[HONEYPOT_FIELD] = ""
        kept.update(overrides)
        return kept
