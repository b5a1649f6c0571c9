"""The parts of an Office Open XML workbook (ECMA-376) that do not depend on its sheets'
cells, and the zip that holds them.

An .xlsx file is a zip of XML parts: the content types, the relationships, the document
properties, the workbook (its sheet names), the styles, one part per sheet and the shared
strings. :func:`package` writes the zip itself: deflated parts, fixed times, entries in a
fixed order, so two builds of the same content are byte-identical. The parts that are the
same for most workbooks (all but the sheets and their strings) are deflated once and
remembered, which is most of what a general zip writer would spend on a small workbook.
"""

from __future__ import annotations

import functools
import re
import struct
import zlib

# The workbook's creation time and its zip entries' times: fixed, so two builds of the same
# content are byte-identical. A workbook is dated by its year file.
CREATED = "2000-01-01T00:00:00Z"
DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, the earliest a zip holds
# Deflate level 1: the parts are small and repetitive, so it already gives most of the
# size of level 6 in well under half the time (measured on the benchmark sample).
COMPRESSLEVEL = 1
# Characters XML 1.0 cannot hold (control characters other than tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF): dropped from editors' text.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# ------------------------------------------------------------------ text


def xml_text(text: str) -> str:
    """Text as XML character data: ``&<>`` escaped, characters XML cannot hold dropped."""
    if NOT_XML.search(text):
        text = NOT_XML.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def xml_attribute(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


class Strings:
    """The workbook's shared strings: each distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def of(self, text: str) -> int:
        self.count += 1
        n = self.index.get(text)
        if n is None:
            n = self.index[text] = len(self.index)
        return n

    def xml(self) -> str:
        items = "".join(map(string_item, self.index))
        return (
            f'{DECLARATION}<sst xmlns="{MAIN}" count="{self.count}" '
            f'uniqueCount="{len(self.index)}">{items}</sst>'
        )


# Excel reads “_xHHHH_” in a cell's text as the character U+HHHH: a text that holds one
# literally keeps it by writing its “_” as “_x005F_” (ECMA-376 Part 1, 22.9.2.19).
ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def string_item(text: str) -> str:
    # Excel trims leading and trailing spaces and newlines unless told to keep them.
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    if "_x" in text:
        text = ESCAPE_LIKE.sub("_x005F_", text)
    return f"<si><t{space}>{xml_text(text)}</t></si>"


# ------------------------------------------------------------------ the fixed parts

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006"
WORKSHEET = f'<worksheet xmlns="{MAIN}" xmlns:r="{OFFICE}/relationships">'
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/><Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    "{sheets}"
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
    "</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{}.xml" ContentType="'
    + SPREADSHEET
    + '.worksheet+xml"/>'
)
ROOT_RELS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{PACKAGE}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE}/relationships/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>'
)
APP = (
    f'<Properties xmlns="{OFFICE}/extended-properties" xmlns:vt="{OFFICE}/docPropsVTypes">'
    "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>"
    '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
    "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4>"
    '</vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{count}" '
    'baseType="lpstr">{names}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate>'
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "<AppVersion>12.0000</AppVersion></Properties>"
)
CORE = (
    f'<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:modified>'
    "</cp:coreProperties>"
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}/relationships">'
    "<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>"
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">{{sheets}}'
    f'<Relationship Id="rIdStyles" Type="{OFFICE}/relationships/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdStrings" Type="{OFFICE}/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_REL = (
    '<Relationship Id="rId{0}" Type="' + OFFICE + '/relationships/worksheet" '
    'Target="worksheets/sheet{0}.xml"/>'
)


def fixed_parts(styles: str, names: list[str]) -> list[tuple[str, str]]:
    """Every part but the sheets and their strings: fixed text with the sheets listed."""
    numbers = range(1, len(names) + 1)
    sheets = "".join(
        f'<sheet name="{xml_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in zip(numbers, names, strict=True)
    )
    titles = "".join(f"<vt:lpstr>{xml_text(name)}</vt:lpstr>" for name in names)
    parts = [
        (
            "[Content_Types].xml",
            CONTENT_TYPES.format(sheets="".join(map(SHEET_TYPE.format, numbers))),
        ),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/app.xml", APP.format(count=len(names), names=titles)),
        ("docProps/core.xml", CORE),
        ("xl/workbook.xml", WORKBOOK.format(sheets=sheets)),
        (
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(sheets="".join(map(SHEET_REL.format, numbers))),
        ),
        ("xl/styles.xml", styles),
    ]
    return [(name, DECLARATION + xml) for name, xml in parts]


# ------------------------------------------------------------------ the zip

Entry = tuple[bytes, int, int, bytes]  # name, CRC-32, size, deflated data


def package(styles: str, names: list[str], sheets: list[str], strings: Strings) -> bytes:
    """The .xlsx file: the fixed parts, then the sheets (``names[i]`` the i-th's name) and
    the shared strings."""
    entries = [fixed_entry(name, xml) for name, xml in fixed_parts(styles, names)]
    entries += [entry(f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, 1)]
    entries.append(entry("xl/sharedStrings.xml", strings.xml()))
    return zip_bytes(entries)


def entry(name: str, xml: str) -> Entry:
    data = xml.encode("utf-8")
    return (
        name.encode("ascii"),
        zlib.crc32(data),
        len(data),
        zlib.compress(data, COMPRESSLEVEL, -15),
    )


@functools.lru_cache(maxsize=256)  # a layout's parts are the same for each of its workbooks
def fixed_entry(name: str, xml: str) -> Entry:
    return entry(name, xml)


LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
VERSION = 20  # zip 2.0 (deflate), made on MS-DOS (attributes 0) as Excel's own files


def zip_bytes(entries: list[Entry]) -> bytes:
    """A zip archive of deflated entries (PKWARE APPNOTE 4.3): each local header and its
    data, then the central directory and its end record."""
    out, directory, offset = [], [], 0
    for name, crc, size, data in entries:
        fields = (8, DOS_TIME, DOS_DATE, crc, len(data), size, len(name))
        local = LOCAL.pack(0x04034B50, VERSION, 0, *fields, 0)
        out += [local, name, data]
        directory += [
            CENTRAL.pack(0x02014B50, VERSION, VERSION, 0, *fields, 0, 0, 0, 0, 0, offset),
            name,
        ]
        offset += len(local) + len(name) + len(data)
    central = b"".join(directory)
    end = END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(central), offset, 0)
    return b"".join(out) + central + end
