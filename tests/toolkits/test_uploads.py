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
        ("../../etc/passwd.pdf", "passwd.pdf"),
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
