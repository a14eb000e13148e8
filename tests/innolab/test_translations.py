"""The French catalogue stays complete: every string translated, none fuzzy, every
placeholder kept, the committed .mo the compiled .po, and nothing `makemessages` would add
that the catalogue lacks (README, *Adding a language*)."""

import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = settings.BASE_DIR / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# %(name)s, %s, %d, {{ name }}: what must come through a translation unchanged.
PLACEHOLDER = re.compile(r"%\([a-zA-Z_0-9]+\)[sdfr]|%[sdf]|\{\{\s*[^}]+?\s*\}\}")
# What makemessages reads: the product's code and templates.
SOURCES = ["community", "learning", "toolkits", "innolab", "templates"]


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def problems(po):
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        name = repr(entry.msgid[:60])
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {name}")
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(forms):
            found.append(f"untranslated: {name}")
            continue
        given = set().union(*(PLACEHOLDER.findall(form) for form in forms))
        if wanted != given:
            found.append(f"placeholders {sorted(wanted ^ given)}: {name}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_with_its_placeholders(language):
    po = catalogue(language)
    assert po.percent_translated() == 100
    assert not problems(po), "\n".join(problems(po))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_compiled_po(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))

    def entries(source):
        return {
            (e.msgctxt, e.msgid): e.msgstr or tuple(sorted(e.msgstr_plural.items()))
            for e in source
            if not e.obsolete and e.msgid
        }

    assert entries(mo) == entries(po), "run: python manage.py compilemessages (README)"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_finds_no_string_the_catalogue_lacks(language, tmp_path, monkeypatch):
    # makemessages writes next to the nearest `locale` folder: run it in a tree of links to
    # the sources, with a copy of the catalogue, so the real one is never touched.
    for name in SOURCES:
        (tmp_path / name).symlink_to(settings.BASE_DIR / name)
    copy = tmp_path / "locale" / language / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(LOCALE / language / "LC_MESSAGES" / "django.po", copy / "django.po")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages", locale=[language], no_obsolete=True, symlinks=True, verbosity=0
        )
    known = {(e.msgctxt, e.msgid) for e in catalogue(language)}
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "django.po"))}
    new = sorted(str(msgid) for _ctx, msgid in extracted - known)
    assert not new, "strings to add to the catalogue (README, Adding a language):\n" + "\n".join(
        new
    )
