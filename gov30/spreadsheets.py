"""Spreadsheet safety shared by every app: formula escaping, and upload checks.

Text that a spreadsheet could execute (starting with = + - @, tab or CR) is written with a
leading apostrophe; ``unescape_text`` removes exactly that on import. An uploaded xlsx is
checked before openpyxl sees it: Python's zipfile will happily inflate a bomb.
"""

import datetime
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm

from gov30.korean_input import parse_date, parse_integer, parse_number

REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_escape(value: str) -> bool:
    # Leading apostrophes are looked through, so that escaping stays reversible ("'-' 표시" ↔ "''-' 표시").
    return value.lstrip("'").startswith(FORMULA_STARTS)


def escape_text(value: str) -> str:
    """Neutralise text a spreadsheet would treat as a formula."""
    return "'" + value if _needs_escape(value) else value


def unescape_text(value: str) -> str:
    return value[1:] if value.startswith("'") and _needs_escape(value[1:]) else value


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadRefused(Exception):
    """The file cannot be read; the message says why, in Korean."""


def check_xlsx(handle: IO[bytes], *, size: int, name: str) -> None:
    """Refuse anything that is not a small, sound xlsx archive. Reads only the zip directory."""
    limit = settings.WORKBOOK_UPLOAD_MAX_BYTES
    if size > limit:
        raise UploadRefused(
            f"파일이 너무 큽니다 ({size / 1024 / 1024:.1f}MB). {limit // 1024 // 1024}MB 이하만 올릴 수 있습니다."
        )
    if size == 0:
        raise UploadRefused("빈 파일입니다.")
    if not name.lower().endswith(".xlsx"):
        raise UploadRefused("엑셀(.xlsx) 파일만 올릴 수 있습니다. 포털에서 내려받은 양식을 쓰세요.")
    handle.seek(0)
    if handle.read(4) != b"PK\x03\x04":
        raise UploadRefused("엑셀(.xlsx) 형식이 아닙니다. CSV나 다른 파일의 확장자만 바꾼 파일은 읽을 수 없습니다.")
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UploadRefused("파일이 손상되었거나 일부만 올라왔습니다. 양식을 다시 저장해 올려 주세요.") from exc
    names = {info.filename for info in infos}
    if not all(part in names for part in REQUIRED_PARTS):
        raise UploadRefused("엑셀 통합 문서의 필수 구성 요소가 없습니다. 포털에서 내려받은 양식을 쓰세요.")
    if len(infos) > settings.WORKBOOK_MAX_ENTRIES:
        raise UploadRefused("파일 안의 구성 요소가 너무 많습니다.")
    expanded = sum(info.file_size for info in infos)
    if expanded > settings.WORKBOOK_MAX_EXPANDED_BYTES or any(
        info.compress_size and info.file_size / info.compress_size > 200 for info in infos
    ):
        raise UploadRefused("압축을 풀면 지나치게 커지는 파일입니다 (압축 폭탄 의심). 올릴 수 없습니다.")
    bad = archive.testzip() if expanded <= settings.WORKBOOK_MAX_EXPANDED_BYTES else None
    if bad is not None:
        raise UploadRefused("파일이 손상되었습니다. 양식을 다시 저장해 올려 주세요.")
    handle.seek(0)


class EscapedResourceMixin:
    """For django-import-export resources: escape text on export, unescape it on import.

    (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips every '=' from the text.)
    """

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_text(value) if isinstance(value, str) else value

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        if isinstance(value, str):
            row[field.column_name] = unescape_text(value)
        elif value is None and self._is_text(field.attribute):
            row[field.column_name] = ""  # an empty xlsx cell is an empty text, as exported
        return super().import_field(field, instance, row, is_m2m, **kwargs)

    def _model_field(self, attribute: str | None) -> models.Field | None:
        try:
            return self._meta.model._meta.get_field(attribute or "")
        except FieldDoesNotExist:
            return None

    def _is_text(self, attribute: str | None) -> bool:
        model_field = self._model_field(attribute)
        return isinstance(model_field, (models.CharField, models.TextField)) and not model_field.null


class PlanDataResource(EscapedResourceMixin, resources.ModelResource):
    """The base of the admin's plan-data resources: escaped text, rows matched by ``id``, an unchanged
    re-import skipped (and shown as skipped), xlsx date cells read as dates, typed numbers and dates read by
    ``gov30.korean_input``, each row validated by the model."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        if isinstance(value, datetime.datetime) and self._is_date(field.attribute):
            # An xlsx date cell reads back as midnight; kept a datetime, it never equals the stored date.
            row[field.column_name] = value.date()
        elif isinstance(value, str) and value.strip():
            # Typed text (csv, text cells) is read as the report form reads it: "12,34,5" is refused, not 12345.
            if self._is_date(field.attribute):
                row[field.column_name] = parse_date(value)
            elif self._is_integer(field.attribute):
                row[field.column_name] = parse_integer(value)
            elif self._is_number(field.attribute):
                row[field.column_name] = parse_number(value)
        return super().import_field(field, instance, row, is_m2m, **kwargs)

    def _is_number(self, attribute: str | None) -> bool:
        model_field = self._model_field(attribute)
        numeric = (models.IntegerField, models.DecimalField, models.FloatField)
        return isinstance(model_field, numeric) and not model_field.primary_key

    def _is_integer(self, attribute: str | None) -> bool:
        model_field = self._model_field(attribute)
        return isinstance(model_field, models.IntegerField) and not model_field.primary_key

    def _is_date(self, attribute: str | None) -> bool:
        model_field = self._model_field(attribute)
        return isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField)


class SafeImportForm(ImportForm):
    """The admin's import form, with the same upload checks as officers' uploads."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.name.lower().endswith(".xlsx") or upload.size > settings.WORKBOOK_UPLOAD_MAX_BYTES:
            try:
                check_xlsx(upload, size=upload.size, name=upload.name)
            except UploadRefused as refusal:
                raise ValidationError(str(refusal)) from refusal
        return upload


class KoreanExportForm(SelectableFieldsExportForm):
    """The export page names each column by its model field's Korean name (import-export titles the code name)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        try:
            return capfirst(resource._meta.model._meta.get_field(field.attribute).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return super()._get_field_label(resource, field_name)


class PlanImportExportAdmin(ImportExportModelAdmin):
    """Import with preview and confirm, export in xlsx and csv; permissions per IMPORT_EXPORT_*_PERMISSION_CODE."""

    formats = [base_formats.XLSX, base_formats.CSV]
    import_form_class = SafeImportForm
    export_form_class = KoreanExportForm
