"""Validation of uploaded toolkit files: extension, detected content, size, name.

A file is accepted only when its extension is allowed *and* its bytes are what that
extension claims (a renamed .exe is not a PDF). Nothing is stored until all checks pass.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension -> content types its bytes may be detected as
ALLOWED = {
    "pdf": {"application/pdf"},
    "doc": {"application/msword", "application/x-ole-storage"},
    "xls": {"application/vnd.ms-excel", "application/x-ole-storage"},
    "ppt": {"application/vnd.ms-powerpoint", "application/x-ole-storage"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    "odt": {"application/vnd.oasis.opendocument.text"},
    "ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    "odp": {"application/vnd.oasis.opendocument.presentation"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "gif": {"image/gif"},
    "webp": {"image/webp"},
    "zip": {"application/zip"},
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_BYTES = 8192
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024
# Real documents compress by 2 to 10 to 1; ZIP bombs by thousands.
BOMB_RATIO = 100
BOMB_MIN_BYTES = 10 * 1024 * 1024
MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|body)[\s>/]", re.I)


@dataclass
class CheckedUpload:
    safe_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes():
    return settings.TOOLKIT_MAX_UPLOAD_MB * 1024 * 1024


def safe_filename(name):
    """A plain ASCII file name: no folders, no dots but the extension's, no odd characters.

    Raises ValidationError when nothing usable is left.
    """
    if "\x00" in name:
        raise ValidationError(_("The file name contains a forbidden character."))
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        # Browsers send a bare name; ".." only comes from a crafted request.
        raise ValidationError(
            _("The file name points outside its folder (“..”). Rename the file and try again.")
        )
    base = PurePosixPath("/".join(parts)).name
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem.strip(". "):
        raise ValidationError(_("The file name needs a name and an extension, e.g. toolkit.pdf."))
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    clean_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip(".-_")[:100] or "file"
    clean_ext = re.sub(r"[^a-z0-9]", "", extension.lower())
    return f"{clean_stem}.{clean_ext}"


def _detect(uploaded, extension):
    uploaded.seek(0)
    head = uploaded.read(HEADER_BYTES)
    uploaded.seek(0)
    if head.startswith(OLE2_MAGIC):
        # Legacy Office files share one container format; filetype cannot tell them apart.
        return "application/x-ole-storage"
    kind = filetype.guess(head)
    detected = kind.mime if kind else None
    if detected != "application/zip" and MARKUP.search(head):
        # A polyglot: a document header with a web page or SVG behind it. Downloads are
        # served as attachments with nosniff anyway; this keeps them out altogether.
        raise ValidationError(
            _("The file contains web page or SVG code (HTML, script), which is not accepted.")
        )
    if detected == "application/zip" or (detected and detected.startswith("application/vnd.")):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                entries = archive.infolist()
                expanded = sum(info.file_size for info in entries)
                if expanded > MAX_EXPANDED_BYTES:
                    raise ValidationError(_("The archive expands to more than 1 GB."))
                # Checked before testzip() below, which would have to inflate it all.
                if any(
                    info.file_size > BOMB_MIN_BYTES
                    and info.file_size > BOMB_RATIO * max(info.compress_size, 1)
                    for info in entries
                ):
                    raise ValidationError(
                        _(
                            "The archive holds a file compressed more than %(ratio)s to 1, "
                            "as ZIP bombs are. Send the files uncompressed or split."
                        )
                        % {"ratio": BOMB_RATIO}
                    )
                bad = archive.testzip()
                if detected == "application/zip":
                    detected = _office_type(archive) or detected
        except zipfile.BadZipFile:
            bad = "corrupt"
        finally:
            uploaded.seek(0)
        if bad is not None:
            raise ValidationError(_("The archive is damaged and cannot be opened."))
    return detected


def _office_type(archive):
    """Office Open XML and OpenDocument files are ZIP archives; their contents tell which."""
    names = set(archive.namelist())
    if "mimetype" in names:
        declared = archive.read("mimetype").decode("ascii", "ignore").strip()
        if declared.startswith("application/vnd.oasis.opendocument."):
            return declared
    if "[Content_Types].xml" in names:
        for folder, extension in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(folder) for n in names):
                return next(iter(ALLOWED[extension]))
    return None


def check_upload(uploaded):
    """Returns a CheckedUpload, or raises ValidationError saying what is wrong."""
    name = safe_filename(uploaded.name)
    extension = name.rsplit(".", 1)[1]
    if extension not in ALLOWED:
        raise ValidationError(
            _("Files ending in .%(ext)s are not accepted. Allowed: %(allowed)s.")
            % {"ext": extension, "allowed": ", ".join(sorted(ALLOWED))}
        )
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(uploaded.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024}
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."))
    detected = _detect(uploaded, extension)
    if detected not in ALLOWED[extension]:
        raise ValidationError(
            _(
                "The file is named .%(ext)s but its content is %(found)s. "
                "Export it again in the right format."
            )
            % {"ext": extension, "found": detected or _("not a recognised document")}
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    content_type = next(iter(ALLOWED[extension] - {"application/x-ole-storage"}))
    return CheckedUpload(name, extension, content_type, uploaded.size, digest.hexdigest())
