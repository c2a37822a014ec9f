"""Input validation of the report forms. Values that cannot be stored are refused here; what
is merely incomplete (allowed in a draft) is checked by ``services.submit_problems`` on submit."""

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory
from django.utils.functional import cached_property

from budgets import rules as budget_rules
from gov30.korean_input import InputRefused, parse_date, parse_integer, parse_number
from reports.models import BudgetExecution, IndicatorResult, MilestoneProgress, ProgressReport, ReportingPeriod
from reports.progress import rules, services

NUMBER_ERRORS = {
    "invalid": "숫자만 입력하세요 (예: 1,234 또는 12.5).",
    "min_value": "0 이상의 값을 입력하세요. 음수는 입력할 수 없습니다.",
    "max_value": "값이 너무 큽니다. 단위(백만원·건 등)를 확인하세요.",
    "max_digits": "값이 너무 큽니다. 단위를 확인하세요.",
    "max_decimal_places": "소수점 아래는 둘째 자리까지 입력하세요.",
    "max_whole_digits": "값이 너무 큽니다. 단위를 확인하세요.",
}
DATE_ERRORS = {"invalid": "날짜를 2017-03-31 또는 2017. 3. 31. 형식으로 입력하세요."}
TEXT_LIMIT = 5000
TOO_LONG = f"{TEXT_LIMIT:,}자 이내로 적어 주세요."


def _refused(field: forms.Field, refusal: InputRefused) -> ValidationError:
    """The value and why it was refused, then the field's own hint (e.g. 숫자만 입력하세요)."""
    return ValidationError(f"{refusal} {field.error_messages['invalid']}", code="invalid")


class _TypedInKorean:
    """Typed text read by ``gov30.korean_input`` ("1,234" yes, "12,34,5" no); spreadsheet values as they are."""

    parse: staticmethod

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = self.parse(value)
            except InputRefused as refusal:
                raise _refused(self, refusal) from None
        return super().to_python(value)


class KoreanDecimalField(_TypedInKorean, forms.DecimalField):
    parse = staticmethod(parse_number)


class KoreanIntegerField(_TypedInKorean, forms.IntegerField):
    parse = staticmethod(parse_integer)


class KoreanDateField(_TypedInKorean, forms.DateField):
    parse = staticmethod(parse_date)


def _text(label: str, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG},
    )


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    achievements = _text("주요 추진실적", 5)
    problems = _text("문제점 및 대책")
    next_steps = _text("향후 계획")

    class Meta:
        model = ProgressReport
        fields = ["achievements", "problems", "next_steps", "self_assessment"]
        widgets = {"self_assessment": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_assessment"].required = False
        self.fields["self_assessment"].choices = [("", "선택 안 함")] + list(ProgressReport.SelfAssessment.choices)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class IndicatorResultForm(forms.ModelForm):
    actual = KoreanDecimalField(
        label="실적",
        required=False,
        localize=True,
        min_value=0,
        max_value=rules.MAX_INDICATOR_VALUE,
        max_digits=14,
        decimal_places=2,
        error_messages=NUMBER_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    comment = _text("설명·미달성 사유", 2)

    class Meta:
        model = IndicatorResult
        fields = ["actual", "comment"]


class MilestoneProgressForm(forms.ModelForm):
    actual_start = KoreanDateField(
        label="실제 시작일",
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    actual_end = KoreanDateField(
        label="실제 완료일",
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    delay_reason = _text("지연 사유", 2)

    class Meta:
        model = MilestoneProgress
        fields = ["status", "actual_start", "actual_end", "delay_reason"]

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self):
        cleaned = super().clean()
        for name in ("actual_start", "actual_end"):
            value = cleaned.get(name)
            if value and value.year != self.year:
                self.add_error(name, f"{self.year}년 안의 날짜를 입력하세요 (계획 연도 밖의 날짜입니다).")
        start, end = cleaned.get("actual_start"), cleaned.get("actual_end")
        if start and end and end < start:
            self.add_error("actual_end", "실제 완료일이 실제 시작일보다 앞설 수 없습니다.")
        return cleaned


class BudgetExecutionForm(forms.ModelForm):
    spent_to_date = KoreanIntegerField(
        label="지출액 누계(백만원)",
        required=False,
        localize=True,
        min_value=0,
        max_value=budget_rules.MAX_SPENT_MILLION_WON,
        error_messages={**NUMBER_ERRORS, "invalid": "정수(백만원)만 입력하세요 (예: 1,234)."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    explanation = _text("초과·부진 사유", 2)

    class Meta:
        model = BudgetExecution
        fields = ["spent_to_date", "explanation"]

    def _get_validation_exclusions(self):
        # The model's checks of spent_to_date (not negative, fits) are this field's min and max already; its
        # CheckConstraint would be validated by a query per row.
        return super()._get_validation_exclusions() | {"spent_to_date"}


class RowChoiceField(forms.ModelChoiceField):
    """A row's posted id, looked up among the rows the formset has read (Django's own field runs a query per row).
    An id that is not one of them gives no row: ``ReportFormBundle.is_valid`` says so."""

    def __init__(self, rows: dict, **kwargs):
        super().__init__(**kwargs)
        self.rows = rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return self.rows.get(pk)


class ReportRowFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields[name]
        form.fields[name] = RowChoiceField(
            self.rows_by_pk, queryset=field.queryset, initial=field.initial, required=False, widget=field.widget
        )

    @cached_property
    def rows_by_pk(self) -> dict:
        """The rows as read (the forms' instances are the same objects), by id."""
        return {row.pk: row for row in self.get_queryset()}


def _formset(model, form):
    return modelformset_factory(model, form=form, formset=ReportRowFormSet, extra=0, can_delete=False, edit_only=True)


IndicatorResultFormSet = _formset(IndicatorResult, IndicatorResultForm)
MilestoneProgressFormSet = _formset(MilestoneProgress, MilestoneProgressForm)
BudgetExecutionFormSet = _formset(BudgetExecution, BudgetExecutionForm)


class ReportFormBundle:
    """The report form and its three row formsets, validated and read as one."""

    GROUPS = ("indicator_results", "milestone_progress", "budget_executions")

    def __init__(self, report: ProgressReport, data=None, files=None):
        self.report = report
        year = report.period.plan.year
        # A copy: validating writes the posted values into the form's instance, and the service compares them
        # with the report as read (with the report itself, nothing would be a change and no history written).
        self.form = ReportForm(data, instance=copy.copy(report), prefix="report")
        self.evidence_form = ReportEvidenceForm(data, files, prefix="evidence")
        self.formsets = {
            "indicator_results": IndicatorResultFormSet(
                data, queryset=report.indicator_results.select_related("indicator"), prefix="indicator_results"
            ),
            "milestone_progress": MilestoneProgressFormSet(
                data,
                queryset=report.milestone_progress.select_related("milestone"),
                prefix="milestone_progress",
                form_kwargs={"year": year},
            ),
            "budget_executions": BudgetExecutionFormSet(
                data,
                queryset=report.budget_executions.select_related("budget_line"),
                prefix="budget_executions",
            ),
        }
        # The rows as read, copied before validation writes the posted values into the forms' instances: what
        # ``services.report_save`` compares the posted values with, so that it does not read them again.
        self.rows = {group: [copy.copy(row) for row in fs.get_queryset()] for group, fs in self.formsets.items()}

    def is_valid(self) -> bool:
        valid = self.form.is_valid() & self.evidence_form.is_valid()
        valid = all([fs.is_valid() for fs in self.formsets.values()]) and valid
        for form in self._row_forms():
            # A posted id that is not a row of this report (tampering, or rows changed meanwhile).
            if form.instance.pk is None:
                form.add_error(None, "이 보고에 속하지 않는 행입니다. 화면을 새로 고친 뒤 다시 입력하세요.")
                valid = False
        return valid

    def evidence(self) -> services.EvidenceUpload | None:
        return self.evidence_form.evidence()

    def file_not_attached(self) -> None:
        """A page shown again cannot keep the chosen file (browsers do not allow it): say so beside the input."""
        if self.evidence_form.is_bound and self.evidence_form.files.get("evidence-file"):
            if not self.evidence_form.errors.get("file"):
                self.evidence_form.add_error("file", "파일은 첨부되지 않았습니다. 다른 항목을 고친 뒤 다시 선택하세요.")

    def _row_forms(self) -> list:
        return [form for formset in self.formsets.values() for form in formset.forms]

    @property
    def version(self) -> int:
        return self.form.cleaned_data["version"]

    def data(self) -> dict:
        """Plain values for ``services.report_save``: report fields plus {group: {row pk: values}}."""
        data = {name: self.form.cleaned_data[name] for name in ("achievements", "problems", "next_steps")}
        data["self_assessment"] = self.form.cleaned_data.get("self_assessment") or ""
        for group, formset in self.formsets.items():
            data[group] = {
                form.instance.pk: {k: v for k, v in form.cleaned_data.items() if k != "id"} for form in formset.forms
            }
        return data

    def add_problems(self, problems: dict[str, str]) -> None:
        """Show submit problems next to their fields (keys as made by ``services.submit_problems``)."""
        rows = {f"{g}-{form.instance.pk}": form for g, fs in self.formsets.items() for form in fs.forms}
        for key, message in problems.items():
            if key in self.form.fields:
                self.form.add_error(key, message)
                continue
            row_key, _, field = key.rpartition("-")
            form = rows.get(row_key)
            if form is not None:
                form.add_error(field, message)

    def error_count(self) -> int:
        return sum(len(f.errors) for f in [self.form, self.evidence_form, *self._row_forms()])


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="의견·사유", required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportVersionsField(forms.MultipleChoiceField):
    """Checked boxes valued "<report pk>:<version the page showed>", cleaned to {pk: version}."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        pk, colon, version = str(value).partition(":")
        return bool(colon) and all(part.isascii() and part.isdigit() and len(part) <= 9 for part in (pk, version))

    def clean(self, value) -> dict[int, int]:
        pairs = (str(v).partition(":") for v in super().clean(value))
        return {int(pk): int(version) for pk, _, version in pairs}


class BulkApproveForm(forms.Form):
    """검토함's checked waiting reports: each claims the version it had when the page was shown."""

    reports = ReportVersionsField(
        label="승인할 보고",
        error_messages={
            "required": "승인할 보고를 하나 이상 고르세요.",
            "invalid_choice": "요청이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 시도하세요.",
        },
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="의견",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "의견을 적어 주세요.", "max_length": TOO_LONG},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="사유",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "사유를 적어 주세요."},
    )


class TargetChangeForm(ReasonForm):
    new_target = KoreanDecimalField(
        label="새 목표",
        localize=True,
        min_value=0,
        max_value=rules.MAX_INDICATOR_VALUE,
        max_digits=14,
        decimal_places=2,
        error_messages={**NUMBER_ERRORS, "required": "새 목표를 입력하세요."},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class PeriodStateForm(forms.Form):
    state = forms.ChoiceField(label="상태", choices=ReportingPeriod.State.choices)


class EvidenceForm(forms.Form):
    kind = forms.CharField(label="증빙 종류", max_length=50, required=False, initial="증빙")
    file = forms.FileField(
        label=f"파일 (PDF·HWP·오피스·이미지, {settings.EVIDENCE_MAX_BYTES // 1024 // 1024}MB 이하)",
        error_messages={"required": "첨부할 파일을 선택하세요."},
        allow_empty_file=True,  # services.evidence_problem refuses it, with the portal's own words
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in sorted(settings.EVIDENCE_EXTENSIONS))}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload:
            head = upload.read(8)
            upload.seek(0)
            problem = services.evidence_problem(name=upload.name, size=upload.size, head=head)
            if problem:
                raise ValidationError(problem)
        return upload

    def evidence(self) -> services.EvidenceUpload | None:
        upload = self.cleaned_data.get("file")
        return services.EvidenceUpload(upload, self.cleaned_data["kind"]) if upload else None


class ReportEvidenceForm(EvidenceForm):
    """The report form's own file input: optional, attached with 임시 저장 or 제출."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
