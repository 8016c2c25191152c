#!/usr/bin/env python3
"""Writes the small workbooks the table importer's tests read (standard library only):

    python3 tests/data/sheet/make_sheets.py

tests/data/sheet/events.xlsx and events.ods: a sheet "Events" (dates stored as dates, as text
and as bare serial numbers; times stored as times, as text and as the number 13.45; a formula
with its cached value; a row without a date; a row without a place; empty formatted rows below
the data) and a sheet "People" whose columns nothing recognises.
tests/data/timemap/timemap_export.xlsx: a TimeMap datasheet (EXPORT_EVENTS with formula cells
and their cached text, EXPORT_SOURCES).
The files are written from the OOXML (ECMA-376) and OpenDocument 1.2 layouts; fixed timestamps
keep them byte-for-byte reproducible.
"""
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = (2024, 1, 1, 0, 0, 0)


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, compress in members:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(info, data)


def column_letter(index):
    return chr(ord("A") + index)


# A cell: str (text), float/int (number), ("date", serial), ("time", fraction),
# ("formula", text, cached value), None (empty).
def xlsx_cell(ref, value):
    if value is None:
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    kind = value[0]
    if kind == "date":
        return f'<c r="{ref}" s="1"><v>{value[1]}</v></c>'
    if kind == "time":
        return f'<c r="{ref}" s="2"><v>{value[1]}</v></c>'
    if kind == "formula":
        formula, cached = value[1], value[2]
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{escape(formula)}</f><v>{escape(cached)}</v></c>'
        return f'<c r="{ref}"><f>{escape(formula)}</f><v>{cached}</v></c>'
    if kind == "blank":
        return f'<c r="{ref}" s="1"/>'
    raise ValueError(value)


def xlsx_sheet(rows):
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(xlsx_cell(f"{column_letter(i)}{number}", v) for i, v in enumerate(row))
        body.append(f'<row r="{number}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(body)}</sheetData></worksheet>'
    )


def write_xlsx(path, sheets):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    sheet_list = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, start=1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{sheet_list}</sheets></workbook>'
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{sheet_rels}<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    # Style 1: built-in number format 14 (a date); style 2: 20 (h:mm).
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<styleSheet xmlns="{main}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    )
    members = [
        ("[Content_Types].xml", content_types, True),
        ("_rels/.rels", root_rels, True),
        ("xl/workbook.xml", workbook, True),
        ("xl/_rels/workbook.xml.rels", workbook_rels, True),
        ("xl/styles.xml", styles, True),
    ]
    for i, (_, rows) in enumerate(sheets, start=1):
        members.append((f"xl/worksheets/sheet{i}.xml", xlsx_sheet(rows), True))
    write_zip(path, members)


def ods_cell(value):
    if value is None or (isinstance(value, tuple) and value[0] == "blank"):
        return "<table:table-cell/>"
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    kind = value[0]
    if kind == "isodate":
        return f'<table:table-cell office:value-type="date" office:date-value="{value[1]}"><text:p>{value[1]}</text:p></table:table-cell>'
    if kind == "isotime":
        return f'<table:table-cell office:value-type="time" office:time-value="{value[1]}"><text:p>{value[1]}</text:p></table:table-cell>'
    if kind == "formula":
        cached = value[2]
        return (
            f'<table:table-cell table:formula="of:={escape(value[1])}" office:value-type="float" '
            f'office:value="{cached}"><text:p>{cached}</text:p></table:table-cell>'
        )
    raise ValueError(value)


def write_ods(path, sheets):
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    tables = []
    for name, rows in sheets:
        body = "".join(
            "<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        # Formatted but empty rows below the data, as spreadsheets save them.
        body += (
            '<table:table-row table:number-rows-repeated="1000">'
            '<table:table-cell table:number-columns-repeated="7"/></table:table-row>'
        )
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{office}" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    write_zip(
        path,
        [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", False),
            ("META-INF/manifest.xml", manifest, True),
            ("content.xml", content, True),
        ],
    )


HEADER = ["Title", "Date", "Time", "Latitude", "Longitude", "Category", "Casualties"]
PEOPLE = [["Name", "Born", "Town"], ["Ada", "1815", "London"]]


def events(date, time, formula):
    return [
        HEADER,
        ["Concert hall attack", date, time, 55.8, 37.4, "attack", 145],
        ["Text date", "22/03/2024", "20:15", formula, 37.62, "warning", None],
        ["Serial without a date format", 45374, 13.45, 55.7, 37.5, "security", None],
        ["No date", None, None, 55.6, 37.3, "security", None],
        ["Month only", "2024-03", None, None, None, None, None],
    ]


xlsx_rows = events(("date", 45373), ("time", 0.831944444444444), ("formula", "55.5+0.25", 55.75))
# Formatted empty rows far below the data.
xlsx_rows += [[None]] * 12 + [[("blank",)] * 3]
write_xlsx(os.path.join(HERE, "events.xlsx"), [("Events", xlsx_rows), ("People", PEOPLE)])
ods_rows = events(("isodate", "2024-03-22"), ("isotime", "PT19H58M00S"), ("formula", "55.5+0.25", 55.75))
write_ods(os.path.join(HERE, "events.ods"), [("Events", ods_rows), ("People", PEOPLE)])

TIMEMAP = os.path.join(HERE, "..", "timemap")
raw = [
    ["Description", "Date", "Time", "Location"],
    ["Person A appears at the gate and sprays tear gas. Then leaves.", ("date", 42287), ("time", 0.680555555555556), "Site A"],
]
export = [
    ["description", "date", "time", "location", "latitude", "longitude", "association1", "association2", "source1"],
    [("formula", "Events!A2", "Person A appears at the gate and sprays tear gas. Then leaves."), ("formula", "TEXT(Events!B2)", "10/10/2015"), ("formula", "TEXT(Events!C2)", "16:20"), "Site A", 31.3484783, 34.7874169, "tear_gas", "narrative_1", "src1"],
    ["A vehicle is seen on the road north of the village, moving slowly towards the checkpoint without lights", "10/21/2015", "07:00", "Road", 31.356397, 34.784818, "vehicle", "", "src2"],
    ["Legislation passed (no place).", "12/10/2014", "", "", "", "", "", "narrative_2", "src9"],
]
sources = [
    ["id", "title", "thumbnail", "description", "path1", "type"],
    ["src1", "Gate footage", "", "A single photo.", "https://example.org/photo.jpg", "Photo"],
    ["src2", "Road video", "", "A video.", "https://example.org/road.mp4", "Video"],
]
write_xlsx(
    os.path.join(TIMEMAP, "timemap_export.xlsx"),
    [("Events", raw), ("EXPORT_EVENTS", export), ("EXPORT_SOURCES", sources)],
)
