"""Checks an uploaded spreadsheet before anything parses it: size, zip structure, zip bombs.

openpyxl must never see a file that is not a real, reasonably sized xlsx: Python's zipfile
will happily inflate a bomb, and openpyxl reads what the archive says.
"""

import zipfile
from typing import IO

from django.conf import settings

REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


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
