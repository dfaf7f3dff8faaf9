"""The join QR code as a matrix (for painting on screen), PNG, SVG or a printable A4 PDF poster.

No Qt here. The poster's QR code is vector (reportlab's ``QrCodeWidget``), so it prints sharp at
any size; user text (the workshop title) is escaped before it reaches a ``Paragraph``.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from workshopkit.join.links import format_join_code, parse_join_code

SUFFIXES = (".png", ".svg", ".pdf")
PNG_BOX_PX = 12
BORDER_MODULES = 4
INSTRUCTIONS = ("Scan the code with your phone's camera, or type the address into its browser, "
                "to add your post-its to the board. No app or account needed.")
_FONT_DIRS = (
    Path(__file__).resolve().parent.parent.parent / "assets" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)


class QrExportError(Exception):
    """The QR code could not be written; ``str(error)`` is a plain sentence for the user."""


def _qr(text: str, box_size: int = 10):  # -> qrcode.QRCode, imported lazily
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER_MODULES,
                       box_size=box_size)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_matrix(text: str) -> list[list[bool]]:
    """Dark (True) and light modules, row by row, with the 4-module quiet border included."""
    return [[bool(cell) for cell in row] for row in _qr(text).get_matrix()]


def _png(url: str) -> bytes:
    from qrcode.image.pure import PyPNGImage

    image = _qr(url, PNG_BOX_PX).make_image(image_factory=PyPNGImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _svg(url: str) -> bytes:
    from qrcode.image.svg import SvgPathFillImage

    image = _qr(url).make_image(image_factory=SvgPathFillImage)
    return image.to_string(encoding="unicode").encode("utf-8")


def _fonts() -> tuple[str, str]:
    """A regular and a bold font that cover Welsh, accents and most scripts, if one is installed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            if "WkSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("WkSans", str(regular)))
                pdfmetrics.registerFont(TTFont("WkSans-Bold", str(bold)))
            return "WkSans", "WkSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _fitted_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def poster_pdf(url: str, *, title: str | None = None) -> bytes:
    """An A4 poster: title, a large vector QR code, the address in large type and the join code."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _fonts()
    margin = 18 * mm
    frame_width = A4[0] - 2 * margin - 12  # the frame's own 6 pt padding each side
    title_text = title.strip() if title and title.strip() else "Add your post-its"
    token = parse_join_code(url)
    code = format_join_code(token) if token else ""

    def style(name: str, font: str, size: float, **extra: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25,
                              alignment=TA_CENTER, **extra)  # type: ignore[arg-type]

    url_size = _fitted_size(url, bold, frame_width * 0.97, 30, 10)
    story: list[object] = [
        Paragraph(escape(title_text), style("title", bold, 30, spaceAfter=4 * mm)),
        Paragraph(escape(INSTRUCTIONS), style("instructions", regular, 15, spaceAfter=6 * mm)),
    ]
    side = min(frame_width, 140 * mm)
    widget = QrCodeWidget(url, barLevel="M", barBorder=BORDER_MODULES)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    story += [
        drawing,
        Spacer(1, 6 * mm),
        Paragraph(escape(url), style("url", bold, url_size, spaceAfter=5 * mm)),
    ]
    if code:
        story.append(Paragraph("Join code: " + escape(code), style("code", bold, 22,
                                                                   spaceAfter=4 * mm)))
    story.append(Paragraph(
        escape("The page comes from the facilitator's laptop: nothing you send goes to the "
               "internet. It works while the facilitator has joining open."),
        style("small", regular, 12)))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin, title=title_text,
                            author="workshopkit", subject=url, creator="workshopkit")
    doc.build(story)
    return buffer.getvalue()


def write_qr(url: str, path: Path | str, *, title: str | None = None) -> Path:
    """Write the join QR code for ``url``: PNG, SVG or an A4 PDF poster, chosen by the suffix."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".png":
        data = _png(url)
    elif suffix == ".svg":
        data = _svg(url)
    elif suffix == ".pdf":
        data = poster_pdf(url, title=title)
    else:
        raise QrExportError(
            f"Cannot write a QR code as {target.name!r}: end the file name with .png, .svg or "
            ".pdf (an A4 poster).")
    from workshopkit.export.files import write_atomically
    from workshopkit.store import StoreError

    try:
        write_atomically(target, data, "QR code")
    except StoreError as exc:
        raise QrExportError(str(exc)) from exc
    return target
