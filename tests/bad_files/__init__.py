"""The corpus of bad uploads, each made from a real template so only the one defect differs."""

import io
import zipfile

from openpyxl import load_workbook


def as_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def edit(template: bytes, change) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    change(workbook)
    return as_bytes(workbook)


def csv_renamed(template: bytes) -> bytes:
    return "과제키,항목키,연번\n1,2,3\n".encode("utf-8")


def truncated(template: bytes) -> bytes:
    return template[: len(template) // 2]


def zip_bomb(template: bytes) -> bytes:
    """A small archive with the xlsx parts that expands to far more than any report needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(chunk)
    return buffer.getvalue()


def oversized(template: bytes) -> bytes:
    return template + b"\0" * (6 * 1024 * 1024)


def drop_column(template: bytes) -> bytes:
    return edit(template, lambda wb: wb["성과지표"].delete_cols(10))


def extra_column(template: bytes) -> bytes:
    return edit(template, lambda wb: wb["성과지표"].cell(row=1, column=11, value="비고"))


def text_in_number(template: bytes) -> bytes:
    return edit(template, lambda wb: wb["예산집행"].cell(row=2, column=7, value="이만"))


def date_as_text(template: bytes) -> bytes:
    return edit(template, lambda wb: wb["추진일정"].cell(row=2, column=9, value="3월 초"))


def formula_in_input(template: bytes) -> bytes:
    return edit(template, lambda wb: wb["성과지표"].cell(row=2, column=8, value="=SUM(G2:G9)"))


def duplicate_row(template: bytes) -> bytes:
    def change(wb):
        ws = wb["예산집행"]
        ws.append([c.value for c in ws[2]])

    return edit(template, change)


def _rewrite_sheets(template: bytes, change) -> bytes:
    """The same archive with every worksheet's XML passed through ``change`` (openpyxl reads them only later)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(template)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = change(data)
            archive.writestr(info, data)
    return buffer.getvalue()


def sheet_xml_truncated(template: bytes) -> bytes:
    return _rewrite_sheets(template, lambda xml: xml[: len(xml) // 2])


def sheet_xml_undefined_entity(template: bytes) -> bytes:
    return _rewrite_sheets(template, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>&undefined;", 1))
