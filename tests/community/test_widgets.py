from community.accounts.widgets import QuickSelect


def test_quick_select_marks_the_choice_and_escapes_labels():
    widget = QuickSelect(choices=[("", "Any"), (1, "Ana & <Bo>"), (2, "Cy")])
    html = widget.render("organisation", 1, attrs={"id": "id_organisation"})
    assert html.startswith('<select id="id_organisation" name="organisation">')
    assert '<option value="1" selected>Ana &amp; &lt;Bo&gt;</option>' in html
    assert '<option value="2">Cy</option>' in html
    assert '<option value="">Any</option>' in html
