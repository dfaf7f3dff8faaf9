"""Beside the board: the join QR code, short URL and join code, readable from the back of a room.

Also the facilitator's joining controls (open/close, address, rotate link, check connection,
whether phones fill in their own row of step 2's grid, whether they review the draft principles
of step 4) and a full-screen join slide. Everything shown is plain text; the QR code is painted
square by square.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import Change, ChangeKind
from workshopkit.store import StoreError
from workshopkit.ui.join_controller import JoinController

VISITS_POLL_MS = 2000
PANEL_HINT = "Scan with your phone camera, or type the address into its browser."
CLOSED_HINT = "Joining is closed. Open it to show the QR code for phones."
COLLECT_VALUES_TEXT = "Phones fill in their own row (step 2)"
COLLECT_VALUES_TIP = ("While this is on, the phone page also asks each person for their name, "
                      "organisation and their own answers to step 2's three questions, which "
                      "go straight into the grid.")
REVIEW_OPEN_TEXT = "Phones review the draft principles (step 4)"
REVIEW_OPEN_TIP = ("While this is on, the phone page shows the draft principles, and each person "
                   "can agree with each one or suggest a change with a short comment. Phones "
                   "never see the tally; step 4 shows it to you.")


class QrCodeWidget(QWidget):
    """A QR code painted from its module matrix: black squares on white, quiet zone included."""

    def __init__(self, parent: QWidget | None = None, *, minimum: int = 160) -> None:
        super().__init__(parent)
        self._text = ""
        self._matrix: list[list[bool]] = []
        self.setMinimumSize(minimum, minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Join QR code")
        self.setAccessibleDescription("Scan to open the page for adding post-its from a phone")

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        if text:
            from workshopkit.export.qr import qr_matrix

            self._matrix = qr_matrix(text)
        else:
            self._matrix = []
        self.setToolTip(text)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            return
        painter = QPainter(self)
        modules = len(self._matrix)
        side = min(self.width(), self.height())
        box = max(1, side // modules)  # whole pixels per module: crisp edges, scannable
        size = box * modules
        left = (self.width() - size) // 2
        top = (self.height() - size) // 2
        painter.fillRect(left, top, size, size, QColor("#FFFFFF"))
        black = QColor("#000000")
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(left + x * box, top + y * box, box, box, black)
        painter.end()


def _big_label(text: str, px: int, parent: QWidget, *, bold: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    font = QFont(label.font())
    font.setPixelSize(px)
    font.setBold(bold)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def short_url(url: str) -> str:
    """The URL as people type it: without ``http://`` (phones' browsers add it)."""
    return url.removeprefix("http://")


def fit_px(text: str, font: QFont, width: int, *, largest: int, smallest: int = 14) -> int:
    """The largest pixel size (up to ``largest``) at which ``text`` fits on one line."""
    trial = QFont(font)
    for px in range(largest, smallest - 1, -2):
        trial.setPixelSize(px)
        if QFontMetrics(trial).horizontalAdvance(text) <= width:
            return px
    return smallest


class JoinSlide(QWidget):
    """A frameless full-screen slide: a huge QR code, the address and the join code. Esc closes.

    Text sizes follow the screen: the address and the code each fit on one line, as large as
    the screen allows, so they read from the back of the room.
    """

    def __init__(self, url: str, code: str, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAccessibleName("Join slide")
        self.setWindowTitle("Join from your phone")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("#FFFFFF"))
        palette.setColor(self.foregroundRole(), QColor("#000000"))
        self.setPalette(palette)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(40, 40, 40, 40)
        self.box.setSpacing(40)
        self.qr = QrCodeWidget(self, minimum=200)
        self.box.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignCenter)
        side = QVBoxLayout()
        side.addStretch(1)
        self.heading = _big_label(title or "Add your post-its from your phone", 48, self)
        self.hint = _big_label("Scan the code with your camera, or type:", 32, self,
                               bold=False)
        self.url_label = _big_label("", 56, self)
        self.url_label.setAccessibleName("Join address")
        self.code_caption = _big_label("Join code", 32, self, bold=False)
        self.code_label = _big_label("", 48, self)
        self.code_label.setAccessibleName("Join code")
        self.close_hint = _big_label("Esc closes this slide", 20, self, bold=False)
        for label in (self.heading, self.hint, self.url_label, self.code_caption,
                      self.code_label):
            side.addWidget(label)
            side.addSpacing(16)
        side.addStretch(1)
        side.addWidget(self.close_hint)
        self.box.addLayout(side, 1)
        self.set_link(url, code)

    def set_link(self, url: str, code: str) -> None:
        self.qr.set_text(url)
        self.url_label.setText(short_url(url))
        self.code_label.setText(code)
        self._fit()

    def _fit(self) -> None:
        wide = self.width() >= self.height() * 1.25
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if wide
                              else QBoxLayout.Direction.TopToBottom)
        margins = 80
        if wide:
            side = max(200, min(self.height() - margins, self.width() * 11 // 20))
            text_width = self.width() - side - margins - self.box.spacing()
            largest = max(24, self.height() // 12)
        else:
            side = max(200, min(self.width() - margins, self.height() * 9 // 20))
            text_width = self.width() - margins
            largest = max(20, self.height() // 20)
        self.qr.setFixedSize(side, side)
        url_px = fit_px(self.url_label.text(), self.url_label.font(), text_width,
                        largest=largest)
        small = max(18, url_px * 2 // 3)
        for label, px in ((self.url_label, url_px), (self.code_label, largest),
                          (self.heading, largest), (self.hint, small),
                          (self.code_caption, small)):
            px = fit_px(label.text(), label.font(), text_width, largest=px)
            font = QFont(label.font())
            font.setPixelSize(px)
            label.setFont(font)
            label.setMinimumHeight(QFontMetrics(font).height() + 4)  # one line, never clipped

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F5):
            self.close()
            return
        super().keyPressEvent(event)


class JoinPanel(QFrame):
    """The joining panel shown beside the expectations board."""

    reachability_checked = Signal(bool)
    slide_shown = Signal(object)

    def __init__(self, controller: JoinController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.workshop_id: int | None = None
        self.message_box: QMessageBox | None = None
        self.warning_box: QMessageBox | None = None
        self.slide: JoinSlide | None = None
        self.setAccessibleName("Joining from phones")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("#FFFFFF"))
        palette.setColor(self.foregroundRole(), QColor("#000000"))
        self.setPalette(palette)
        self.setMinimumWidth(300)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        self.heading = _big_label("Join from your phone", 26, self)
        self.qr = QrCodeWidget(self)
        self.url_label = _big_label("", 26, self)
        self.url_label.setAccessibleName("Join address")
        self.code_label = _big_label("", 24, self)
        self.code_label.setAccessibleName("Join code")
        self.hint = _big_label(CLOSED_HINT, 16, self, bold=False)
        self.hint.setAccessibleName("Joining status")
        self.visits_label = _big_label("", 16, self, bold=False)
        self.visits_label.setAccessibleName("Phones that opened the page")

        self.address_combo = QComboBox(self)
        self.address_combo.setAccessibleName("Network address for phones")
        self.address_combo.setToolTip("The laptop's address on the room's network")
        self.open_button = QPushButton("&Open joining", self)
        self.open_button.setAccessibleName("Open joining")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.rotate_button = QPushButton("&Rotate link…", self)
        self.rotate_button.setAccessibleName("Rotate link")
        self.rotate_button.setToolTip("Make a new link; the old link and QR code stop working")
        self.rotate_button.clicked.connect(self.ask_rotate)
        self.check_button = QPushButton("Check &connection", self)
        self.check_button.setAccessibleName("Check connection")
        self.check_button.clicked.connect(self.check_connection)
        self.slide_button = QPushButton("Join &slide (F5)", self)
        self.slide_button.setAccessibleName("Show join slide")
        self.slide_button.clicked.connect(self.show_slide)
        self.help_label = _big_label("", 15, self, bold=False)
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.help_label.setAccessibleName("Connection help")
        self.help_label.hide()
        self.collect_values_check = QCheckBox(f"&{COLLECT_VALUES_TEXT}", self)
        self.collect_values_check.setAccessibleName(COLLECT_VALUES_TEXT)
        self.collect_values_check.setAccessibleDescription(COLLECT_VALUES_TIP)
        self.collect_values_check.setToolTip(COLLECT_VALUES_TIP)
        self.collect_values_check.toggled.connect(self._on_collect_values_check_toggled)
        self.review_open_check = QCheckBox("Phones revie&w the draft principles (step 4)", self)
        self.review_open_check.setAccessibleName(REVIEW_OPEN_TEXT)
        self.review_open_check.setAccessibleDescription(REVIEW_OPEN_TIP)
        self.review_open_check.setToolTip(REVIEW_OPEN_TIP)
        self.review_open_check.toggled.connect(self._on_review_open_check_toggled)

        layout.addWidget(self.heading)
        layout.addWidget(self.qr)
        layout.addWidget(self.url_label)
        layout.addWidget(self.code_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.visits_label)
        layout.addStretch(1)
        address_row = QHBoxLayout()
        address_caption = QLabel("&Address:", self)
        address_caption.setTextFormat(Qt.TextFormat.PlainText)
        address_caption.setBuddy(self.address_combo)
        address_row.addWidget(address_caption)
        address_row.addWidget(self.address_combo, 1)
        layout.addLayout(address_row)
        layout.addWidget(self.collect_values_check)
        layout.addWidget(self.review_open_check)
        for row in ((self.open_button, self.slide_button),
                    (self.rotate_button, self.check_button)):
            buttons = QHBoxLayout()
            for button in row:
                buttons.addWidget(button)
            layout.addLayout(buttons)
        layout.addWidget(self.help_label)

        self._visits_timer = QTimer(self)
        self._visits_timer.setInterval(VISITS_POLL_MS)
        self._visits_timer.timeout.connect(self._update_visits)
        self.reachability_checked.connect(self._on_reachability_checked)
        controller.joining_opened.connect(self._on_controller_joining_opened)
        controller.joining_closed.connect(self._on_controller_joining_closed)
        controller.error_shown.connect(self._on_controller_error_shown)
        controller.phone_changed.connect(self._update_visits)
        controller.bridge.changed.connect(self._on_bridge_changed)
        self.refresh_addresses()
        self._sync()

    # ----------------------------------------------------------------- state

    def set_workshop(self, workshop_id: int | None) -> None:
        self.workshop_id = workshop_id
        self._sync()

    def refresh_addresses(self) -> None:
        from workshopkit.join.net import lan_addresses

        current = self.address()
        self.address_combo.clear()
        interfaces = lan_addresses()
        if not any(i.address == "127.0.0.1" for i in interfaces):
            from workshopkit.join.net import Interface

            interfaces.append(Interface("lo", "127.0.0.1"))
        for interface in interfaces:
            label = interface.label + (" - this laptop only" if interface.is_loopback else "")
            self.address_combo.addItem(label, interface.address)
        if current:
            self.set_address(current)
        self.address_combo.setVisible(self.address_combo.count() > 1)

    def address(self) -> str:
        return str(self.address_combo.currentData() or "")

    def set_address(self, address: str) -> None:
        index = self.address_combo.findData(address)
        if index < 0:
            self.address_combo.addItem(address, address)
            index = self.address_combo.count() - 1
        self.address_combo.setCurrentIndex(index)

    def _sync(self) -> None:
        is_open = self.controller.is_open and self.controller.workshop_id == self.workshop_id
        url = self.controller.url if is_open else ""
        self.qr.set_text(url)
        self.qr.setVisible(is_open)
        self.url_label.setText(short_url(url))
        self.url_label.setVisible(is_open)
        self.code_label.setText(f"Code: {self.controller.join_code()}" if is_open else "")
        self.code_label.setVisible(is_open)
        self.hint.setText(PANEL_HINT if is_open else CLOSED_HINT)
        self.open_button.setText("Close &joining" if is_open else "&Open joining")
        self.open_button.setAccessibleName("Close joining" if is_open else "Open joining")
        self.open_button.setEnabled(self.workshop_id is not None)
        self.address_combo.setEnabled(not is_open)
        for button in (self.rotate_button, self.check_button, self.slide_button):
            button.setEnabled(is_open)
        self._sync_phone_steps()
        if is_open:
            self._visits_timer.start()
        else:
            self._visits_timer.stop()
            self.help_label.hide()
        self._update_visits()

    def _sync_phone_steps(self) -> None:
        """Show the workshop's settings, whoever changed them; set here, they are not sent back."""
        checks = ((self.collect_values_check, "collect_values"),
                  (self.review_open_check, "review_open"))
        settings = None
        if self.workshop_id is not None:
            try:
                settings = self.controller.store.join_settings(self.workshop_id)
            except StoreError:
                settings = None
        for check, name in checks:
            check.setEnabled(settings is not None)
            check.blockSignals(True)
            check.setChecked(bool(getattr(settings, name)) if settings is not None else False)
            check.blockSignals(False)

    def _set_phone_step(self, **setting: bool) -> bool:
        if self.workshop_id is None:
            return False
        try:
            self.controller.store.update_join_settings(self.workshop_id, **setting)
        except StoreError as error:
            self._sync_phone_steps()
            self._show_warning("Nothing was changed", str(error))
            return False
        return True

    def set_collect_values(self, on: bool) -> bool:
        """Let phones fill in their own row of step 2's grid, or stop them; False if refused."""
        return self._set_phone_step(collect_values=on)

    def set_review_open(self, on: bool) -> bool:
        """Let phones review the draft principles of step 4, or stop them; False if refused."""
        return self._set_phone_step(review_open=on)

    def _show_warning(self, title: str, message: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(title)
        self.warning_box = box
        box.finished.connect(self._on_warning_box_finished)
        box.open()
        return box

    def _on_warning_box_finished(self, _result: int) -> None:
        self.warning_box = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The QR code is square and as wide as the panel allows, leaving room for the text."""
        margins = self.contentsMargins().left() + self.contentsMargins().right() + 32
        side = max(160, min(self.width() - margins, self.height() - 420))
        self.qr.setFixedHeight(side)
        super().resizeEvent(event)

    def _update_visits(self, *_args: object) -> None:
        if not self.controller.is_open:
            self.visits_label.setText("")
            return
        n = self.controller.visits()
        self.visits_label.setText("No phone has opened the page yet." if n == 0 else
                                  "1 phone has opened the page." if n == 1 else
                                  f"{n} phones have opened the page.")

    # ----------------------------------------------------------------- actions

    def open_joining(self) -> bool:
        if self.workshop_id is None:
            return False
        return self.controller.open_joining(self.workshop_id, self.address())

    def toggle_joining(self) -> None:
        if self.controller.is_open:
            self.controller.close_joining()
        else:
            self.open_joining()

    def _on_open_button_clicked(self) -> None:
        self.toggle_joining()

    def ask_rotate(self) -> QMessageBox:
        """Asks first: the old link and QR code stop working for everyone."""
        box = QMessageBox(QMessageBox.Icon.Question, "Rotate the join link?",
                          "Make a new join link? Phones that have not joined yet will need the "
                          "new QR code; the old link stops working at once.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Rotate link")
        box.finished.connect(self._on_rotate_box_finished)
        self.message_box = box
        box.open()
        return box

    def _on_rotate_box_finished(self, result: int) -> None:
        box, self.message_box = self.message_box, None
        if box is not None:
            box.deleteLater()
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.controller.rotate_link()

    def check_connection(self) -> None:
        """Ask this laptop's own address in the background; show plain guidance either way."""
        from workshopkit.join.net import REACHABILITY_HELP

        self.check_button.setEnabled(False)
        self.help_label.setText("Checking…")
        self.help_label.show()
        self._help = REACHABILITY_HELP
        controller = self.controller
        signal = self.reachability_checked

        def run() -> None:
            signal.emit(controller.check_reachable())

        threading.Thread(target=run, name="workshopkit-reachability", daemon=True).start()

    def _on_reachability_checked(self, ok: bool) -> None:
        self.check_button.setEnabled(self.controller.is_open)
        n = self.controller.visits()
        if ok:
            head = (f"The page answers on {self.address()}. "
                    + (f"{n} phone(s) have opened it, so the network lets phones through. "
                       if n else "No phone has opened it yet: ask someone to scan the code. "))
        else:
            head = f"The page does not answer on {self.address()}. "
        self.help_label.setText(head + ("" if ok and n else "\n\n" + self._help))
        self.help_label.show()

    def show_slide(self) -> JoinSlide | None:
        if not self.controller.is_open:
            return None
        if self.slide is not None:
            self.slide.close()
        slide = JoinSlide(self.controller.url, self.controller.join_code(), parent=self.window())
        slide.destroyed.connect(self._on_slide_destroyed)
        self.slide = slide
        slide.showFullScreen()
        slide.activateWindow()
        slide.setFocus()
        self.slide_shown.emit(slide)
        return slide

    def _on_slide_destroyed(self, *_args: object) -> None:
        self.slide = None

    # ----------------------------------------------------------------- slots

    def _on_controller_joining_opened(self, _url: str) -> None:
        self._sync()
        if self.slide is not None:
            self.slide.set_link(self.controller.url, self.controller.join_code())

    def _on_controller_joining_closed(self) -> None:
        if self.slide is not None:
            self.slide.close()
        self._sync()

    def _on_collect_values_check_toggled(self, on: bool) -> None:
        self.set_collect_values(on)

    def _on_review_open_check_toggled(self, on: bool) -> None:
        self.set_review_open(on)

    def _on_bridge_changed(self, change: Change) -> None:
        if change.kind is ChangeKind.JOINING and change.workshop_id == self.workshop_id:
            self._sync_phone_steps()

    def _on_controller_error_shown(self, message: str) -> None:
        self._sync()
        self.hint.setText(message)
