"""Form B's screen uses the paper form's words: 现场调试投运 □没有 □是, and the 销售信息 heading."""

from django.utils import translation

from fieldservice.forms import FormBForm


def test_form_b_speaks_as_the_paper_form():
    with translation.override("zh-hans"):
        form = FormBForm()
        commissioned = [str(label) for _code, label in form.fields["commissioned"].choices]
        assert commissioned == ["没有", "是"]
        assert str(form.fields["follow_up_project"].label).startswith("销售信息")
