#!/usr/bin/env python3
"""Writes tests/data/csv/atlas_export.xlsx: atlas_export.csv as a spreadsheet program saves it
(coordinates and plain numbers stored as numbers, everything else as text), with the workbook
writer of tests/data/sheet/make_sheets.py (standard library only):

    python3 tests/data/csv/make_atlas_sheet.py
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sheet"))
import make_sheets  # noqa: E402


def column_letter(index):
    # Past Z: AA, AB… (the original writer needs no more than 26 columns).
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(text):
    if text == "":
        return None
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


make_sheets.column_letter = column_letter
with open(os.path.join(HERE, "atlas_export.csv"), newline="", encoding="utf-8") as source:
    rows = list(csv.reader(source))
header, data = rows[0], rows[1:]
sheet = [header] + [[cell(text) for text in row] for row in data]
make_sheets.write_xlsx(os.path.join(HERE, "atlas_export.xlsx"), [("Events", sheet)])
