"""Upload validation: extension and detected content, size, names; nothing stored on error."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from toolkits import services
from toolkits.models import ToolkitFile
from toolkits.uploads import safe_filename

pytestmark = pytest.mark.django_db


def add(toolkit, uploaded, version="1.0"):
    return services.toolkit_file_add(
        toolkit=toolkit, uploaded=uploaded, version_label=version, by=None
    )


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_pdf_is_stored_with_its_checksum_and_a_safe_name(settings):
    toolkit = factories.toolkit(slug="opm")
    record = add(toolkit, factories.pdf_upload("Open Policy (v1).pdf"))
    assert record.content_type == "application/pdf"
    assert record.original_name == "Open-Policy-v1.pdf"
    assert len(record.sha256) == 64 and record.size > 100
    assert record.file.name.startswith("toolkits/opm/")
    assert record.file.name.endswith("/Open-Policy-v1.pdf")
    assert (settings.MEDIA_ROOT / record.file.name).exists()


def test_office_and_opendocument_files_are_recognised():
    toolkit = factories.toolkit()
    docx = zip_bytes({"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"})
    odt = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    assert add(toolkit, SimpleUploadedFile("a.docx", docx), "1").content_type.endswith(
        "wordprocessingml.document"
    )
    assert add(toolkit, SimpleUploadedFile("b.odt", odt), "2").content_type.endswith(".text")
    assert add(toolkit, SimpleUploadedFile("c.zip", zip_bytes({"a.txt": "x"})), "3")


@pytest.mark.parametrize("name", ["tool.exe", "script.js", "page.html", "drawing.svg", "a.pdf.exe"])
def test_wrong_extensions_are_refused(name):
    toolkit = factories.toolkit()
    with pytest.raises(ValidationError, match="are not accepted"):
        add(toolkit, SimpleUploadedFile(name, b"%PDF-1.4 fake"))
    assert not ToolkitFile.objects.exists()


def test_content_that_does_not_match_the_extension_is_refused(settings):
    toolkit = factories.toolkit()
    windows_program = b"MZ\x90\x00" + b"\x00" * 200
    with pytest.raises(ValidationError, match="its content is"):
        add(toolkit, SimpleUploadedFile("report.pdf", windows_program))
    with pytest.raises(ValidationError, match="its content is"):
        add(toolkit, SimpleUploadedFile("picture.png", factories.pdf_upload().read()))
    with pytest.raises(ValidationError):
        add(toolkit, SimpleUploadedFile("slides.pptx", zip_bytes({"a.txt": "not office"})))
    assert not ToolkitFile.objects.exists()
    assert not (settings.MEDIA_ROOT / "toolkits").exists()


def test_too_large_files_are_refused(settings):
    settings.TOOLKIT_MAX_UPLOAD_MB = 1
    toolkit = factories.toolkit()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="the limit is 1 MB"):
        add(toolkit, big)
    assert not ToolkitFile.objects.exists()


def test_damaged_archives_are_refused():
    toolkit = factories.toolkit()
    broken = zip_bytes({"a.txt": "x" * 1000})[:-30]
    with pytest.raises(ValidationError):
        add(toolkit, SimpleUploadedFile("broken.zip", broken))


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("C:\\Users\\me\\Desktop\\plan.pdf", "plan.pdf"),
        ("Étude d'impact.pdf", "Etude-d-impact.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("   .hidden.pdf", "hidden.pdf"),
    ],
)
def test_dangerous_names_are_made_safe(name, safe):
    assert safe_filename(name) == safe


@pytest.mark.parametrize("name", ["nul\x00.pdf", ".pdf", "noextension"])
def test_names_without_a_usable_stem_or_extension_are_refused(name):
    with pytest.raises(ValidationError):
        safe_filename(name)


def test_version_labels_are_unique_per_toolkit():
    toolkit = factories.toolkit()
    add(toolkit, factories.pdf_upload(), "1.0")
    with pytest.raises(ValidationError, match="already exists"):
        add(toolkit, factories.pdf_upload(), "1.0")
    assert ToolkitFile.objects.count() == 1


def test_admin_upload_page_explains_a_refusal_and_stores_nothing(staff_client):
    from django.urls import reverse

    toolkit = factories.toolkit()
    url = reverse("admin:toolkits_toolkit_upload", args=[toolkit.pk])
    response = staff_client.post(
        url,
        {"upload": SimpleUploadedFile("evil.pdf", b"MZ" + b"\x00" * 100), "version_label": "1"},
    )
    assert response.status_code == 200
    assert "its content is" in response.content.decode()
    assert not ToolkitFile.objects.exists()
    response = staff_client.post(
        url, {"upload": factories.pdf_upload(), "version_label": "1", "change_note": "First"}
    )
    assert response.status_code == 302
    assert ToolkitFile.objects.get().change_note == "First"


# --- Attacks: each refused with a clear message, nothing stored --------------------------------


def refused(uploaded, match, settings):
    toolkit = factories.toolkit()
    with pytest.raises(ValidationError, match=match):
        add(toolkit, uploaded)
    assert not ToolkitFile.objects.exists()
    assert not (settings.MEDIA_ROOT / "toolkits").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<!doctype html><html><script>alert(1)</script></html>",
        # A true polyglot: a PDF header, then a web page.
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<html><body><script>alert(1)</script></body></html>",
    ],
)
def test_html_or_svg_under_a_pdf_name_is_refused(content, settings):
    match = "web page or SVG code|its content is"
    refused(SimpleUploadedFile("report.pdf", content), match, settings)


def test_a_zip_bomb_is_refused_before_it_is_inflated(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"\0" * (20 * 1024 * 1024))  # 20 MB -> about 20 KB
    assert len(buffer.getvalue()) < 100_000
    refused(SimpleUploadedFile("bomb.zip", buffer.getvalue()), "ZIP bombs", settings)


def test_a_file_whose_extension_and_content_disagree_is_refused(settings):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    refused(SimpleUploadedFile("notes.pdf", png), "its content is image/png", settings)


def test_a_path_traversal_name_is_refused(settings):
    # Django's own upload handling keeps only the part after the last "/", so the one
    # that reaches us is the Windows form; our check refuses any ".." segment.
    refused(factories.pdf_upload("..\\..\\windows\\win.ini.pdf"), "outside its folder", settings)
    for name in ("../../etc/passwd.pdf", "a/../../b.pdf"):
        with pytest.raises(ValidationError, match="outside its folder"):
            safe_filename(name)


def test_a_crafted_upload_name_never_leaves_the_toolkit_folder(staff_client, settings):
    from django.urls import reverse

    toolkit = factories.toolkit(slug="kit")
    boundary = "XBOUNDARY"
    pdf = factories.pdf_upload().read()
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="version_label"\r\n\r\n1\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
            f'filename="../../../../etc/passwd.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode()
    )
    staff_client.generic(
        "POST",
        reverse("admin:toolkits_toolkit_upload", args=[toolkit.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    stored = ToolkitFile.objects.get()
    assert stored.file.name.startswith("toolkits/kit/")
    assert ".." not in stored.file.name
    assert (settings.MEDIA_ROOT / stored.file.name).resolve().is_relative_to(settings.MEDIA_ROOT)
