from django import forms


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label="작성한 양식 파일 (.xlsx, 5MB 이하)", error_messages={"required": "올릴 파일을 선택하세요."}
    )
