from django import forms
from django.conf import settings


class TokenForm(forms.Form):
    name = forms.CharField(
        label="이름", max_length=100, help_text="어느 프로그램이 쓰는 토큰인지 (예: 예산 시스템 연계)"
    )
    days = forms.IntegerField(label="유효 기간(일)", min_value=1, initial=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        most = settings.GOV30_API_TOKEN_MAX_DAYS
        self.fields["days"].max_value = most
        self.fields["days"].validators.append(forms.IntegerField(max_value=most).validators[-1])
        self.fields["days"].help_text = f"1일에서 {most}일까지"
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
