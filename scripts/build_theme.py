"""Build the reference documents in templates/theme/ (run once; the outputs are committed).

They play the part of pandoc's --reference-doc: fonts, colours, page size and slide
layouts come from them, so a school can swap in its own. Run:

    python scripts/build_theme.py
"""

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from pptx import Presentation
from pptx.util import Emu

THEME = Path(__file__).resolve().parents[1] / "templates" / "theme"
NAVY = RGBColor(0x1D, 0x3A, 0x5F)
WIDE = Emu(12192000)  # 13.333 in: 16:9 at the usual 7.5 in height


def build_pptx() -> None:
    prs = Presentation()
    scale = WIDE / prs.slide_width
    prs.slide_width = WIDE
    # The default template's master and layouts are drawn for 4:3; stretch them to 16:9.
    for part in [prs.slide_master, *prs.slide_layouts]:
        for shape in part.shapes:
            # Placeholders without their own position inherit the master's (already scaled).
            own_position = shape._element.spPr.find(qn("a:xfrm")) is not None
            if own_position and shape.left is not None and shape.width is not None:
                shape.left = int(shape.left * scale)
                shape.width = int(shape.width * scale)
    props = prs.core_properties
    props.author = "lessonpack"
    props.language = "en-GB"
    prs.save(THEME / "reference.pptx")


def build_docx() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, as UK schools print
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Arial")
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    for level, size in ((1, 18), (2, 14), (3, 12)):
        style = styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = NAVY
        style.paragraph_format.space_before = Pt(12 if level > 1 else 6)
        style.paragraph_format.space_after = Pt(4)
        hfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            hfonts.set(qn(attr), "Arial")
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            hfonts.attrib.pop(qn(theme_attr), None)
    for name in ("List Bullet", "List Bullet 2", "List Paragraph"):
        styles[name].paragraph_format.space_after = Pt(3)
    title = styles["Title"]
    title.font.name = "Arial"
    title.font.color.rgb = NAVY
    if "Answer Line" not in [s.name for s in styles]:
        styles.add_style("Answer Line", WD_STYLE_TYPE.PARAGRAPH).base_style = normal
    props = doc.core_properties
    props.author = "lessonpack"
    props.language = "en-GB"
    _slim(doc)
    doc.save(THEME / "reference.docx")


KEEP_STYLES = {"Normal", "Title", "Heading1", "Heading2", "Heading3", "ListBullet", "ListBullet2",
               "ListParagraph", "AnswerLine", "TableGrid", "TableNormal", "DefaultParagraphFont",
               "NoList", "Header", "Footer", "HeaderChar", "FooterChar", "TitleChar",
               "Heading1Char", "Heading2Char", "Heading3Char"}


def _slim(doc) -> None:
    """Drop what the packs never use: python-docx's default template carries ~800 KB of
    styles (and a Word 2010 copy of them) that every pack would parse and compress again."""
    styles = doc.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)


if __name__ == "__main__":
    THEME.mkdir(parents=True, exist_ok=True)
    build_pptx()
    build_docx()
    print(f"wrote {THEME / 'reference.pptx'} and {THEME / 'reference.docx'}")
