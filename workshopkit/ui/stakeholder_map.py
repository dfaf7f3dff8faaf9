"""The stakeholder map (toolkit step 1): cards on rings of involvement, an area per organisation.

The canvas is a ``QGraphicsView``. With the mouse: drag a card to move it (into another ring or
area), drag empty space to pan, Shift+drag to select several cards with a rubber band,
Ctrl+click to add a card to the selection, Ctrl+wheel to zoom, double-click to edit. With the
keyboard (focus on the canvas): Tab and the arrow keys go from card to card, Ctrl+arrows nudge,
Ctrl+[ and Ctrl+] move cards inward and outward, Enter edits, Delete deletes, Ctrl+L connects two
cards; with nothing selected the arrow keys pan. Every edit is an undo command; the view rebuilds
only the items a store change touched, so a selection survives refreshes.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPixmapCache,
    QResizeEvent,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.stakeholders import (
    LABEL_FONT_SIZE,
    MapGeometry,
    area_index,
    area_name,
    free_spot,
    invite_list,
    map_areas,
    map_geometry,
)
from workshopkit.model import (
    DEFAULT_RING_NAMES,
    LINK_LABEL_MAX_CHARS,
    RING_COUNT,
    RING_NAME_MAX_CHARS,
    Change,
    ChangeKind,
    Organisation,
    Stakeholder,
    StakeholderMap,
    Workshop,
)
from workshopkit.store import NotFoundError, Store, StoreError
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.invite_list import InviteListView
from workshopkit.ui.map_commands import (
    AddLinkCommand,
    AddStakeholdersCommand,
    DeleteLinksCommand,
    DeleteStakeholdersCommand,
    RelabelLinkCommand,
    RenameRingCommand,
    UpdateStakeholdersCommand,
)
from workshopkit.ui.role_palette import ROLE_MIME, RolePalette
from workshopkit.ui.stakeholder_items import (
    BACKGROUND,
    BackdropItem,
    CardItem,
    LinkItem,
)
from workshopkit.ui.view_base import ExerciseView

ZOOM_STEP = 1.25
MIN_SCALE = 0.05
MAX_SCALE = 4.0
NUDGE = 30.0
"""How far (scene units) Ctrl+arrow moves a card."""
EXPORT_MIN_WIDTH = 1600
EXPORT_MAX_WIDTH = 8000
EXPORT_MARGIN = 30.0
CANVAS_TIP = (
    "Drag a card to move it into another ring or area. Drag empty space to pan; Shift+drag to "
    "select several cards; Ctrl+click adds a card to the selection; Ctrl+wheel zooms. "
    "Double-click a card or line to edit it, a ring's name to rename it."
)
EXPORT_KINDS: dict[str, tuple[str, str, str]] = {
    # kind: (caption, file filter, name suffix)
    "png": ("Export map as PNG", "PNG images (*.png)", " stakeholder map.png"),
    "svg": ("Export map as SVG", "SVG images (*.svg)", " stakeholder map.svg"),
    "pdf": ("Export map as PDF", "PDF documents (*.pdf)", " stakeholder map.pdf"),
    "csv": ("Export cards as CSV", "CSV files (*.csv)", " stakeholders.csv"),
}


def describe(stakeholder: Stakeholder, organisation: str, ring: str) -> str:
    """What a screen reader hears for a card: label, person, organisation, ring, status."""
    parts = [stakeholder.label, stakeholder.person, organisation, ring,
             stakeholder.status.label]
    return ", ".join(part for part in parts if part)


def nudge_spot(geometry: MapGeometry, area: int, ring: int, across: float, depth: float,
               dx: float, dy: float) -> tuple[float, float]:
    """(across, depth) that moves a card about ``NUDGE`` units along (dx, dy) on screen while
    keeping its area and ring (it stops at their edges)."""
    eps = 0.01
    a0 = min(max(across, eps), 1 - eps)
    d0 = min(max(depth, eps), 1 - eps)

    def point(a: float, d: float) -> tuple[float, float]:
        return geometry.point(area, ring, a, d)

    (ax1, ay1), (ax0, ay0) = point(a0 + eps, d0), point(a0 - eps, d0)
    (dx1, dy1), (dx0, dy0) = point(a0, d0 + eps), point(a0, d0 - eps)
    ja = ((ax1 - ax0) / (2 * eps), (ay1 - ay0) / (2 * eps))
    jd = ((dx1 - dx0) / (2 * eps), (dy1 - dy0) / (2 * eps))
    tx, ty = dx * NUDGE, dy * NUDGE
    det = ja[0] * jd[1] - jd[0] * ja[1]
    if abs(det) < 1e-9:
        return across, depth
    change_a = (tx * jd[1] - jd[0] * ty) / det
    change_d = (ja[0] * ty - tx * ja[1]) / det
    return min(1.0, max(0.0, across + change_a)), min(1.0, max(0.0, depth + change_d))


# ----------------------------------------------------------------------------- the canvas


class MapCanvas(QGraphicsView):
    """The view: pans on empty space, rubber band with Shift, Ctrl+wheel zoom, role drops.

    Keys it cannot handle alone ask its owner through ``tab_handler`` and ``arrow_handler``
    (each returns True when it moved to a card).
    """

    cards_moved = Signal(object)
    """{card id: new centre} after the mouse moved cards."""
    item_double_clicked = Signal(object, QPointF)
    """(card, line or None, scene point)."""
    role_dropped = Signal(str, QPointF)
    resized = Signal()
    context_menu_requested = Signal(object)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.tab_handler: Callable[[bool], bool] = lambda _forward: False
        self.arrow_handler: Callable[[int, int, bool], bool] = lambda _dx, _dy, _extend: False
        self._pressed: dict[CardItem, QPointF] = {}
        self.setAccessibleName("Stakeholder map")
        self.setToolTip(CANVAS_TIP)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setBackgroundBrush(QColor(BACKGROUND))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)

    # -- zoom and pan

    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, *, under_mouse: bool = False) -> None:
        current = self.scale_factor()
        factor = max(MIN_SCALE / current, min(MAX_SCALE / current, factor))
        anchor = self.transformationAnchor()
        if not under_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(anchor)

    def pan(self, dx: int, dy: int) -> None:
        for bar, step in ((self.horizontalScrollBar(), dx), (self.verticalScrollBar(), dy)):
            if step:
                bar.setValue(bar.value() + step * max(20, bar.pageStep() // 8))

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP ** steps, under_mouse=True)
            event.accept()
            return
        super().wheelEvent(event)

    # -- mouse

    def card_at(self, pos: Any) -> CardItem | LinkItem | None:
        """The card or line under a viewport point (the backdrop counts as empty space)."""
        for item in self.items(pos):
            if isinstance(item, (CardItem, LinkItem)):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.card_at(event.position().toPoint())
            if item is not None:
                mode = QGraphicsView.DragMode.NoDrag
            elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                mode = QGraphicsView.DragMode.RubberBandDrag
            else:
                mode = QGraphicsView.DragMode.ScrollHandDrag
            self.setDragMode(mode)
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = {item: item.pos() for item in self.scene().selectedItems()
                             if isinstance(item, CardItem)}

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        pressed, self._pressed = self._pressed, {}
        moved = {card.stakeholder_id: card.pos() for card, before in pressed.items()
                 if card.scene() is self.scene()
                 and (card.pos() - before).manhattanLength() > 0.5}
        if moved:
            self.cards_moved.emit(moved)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        point = event.position().toPoint()
        self.item_double_clicked.emit(self.card_at(point), self.mapToScene(point))
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.card_at(event.pos())
        if item is not None and not item.isSelected():
            self.scene().clearSelection()
            item.setSelected(True)
        self.context_menu_requested.emit(event.globalPos())
        event.accept()

    # -- drops from the palette

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        if event.mimeData() is not None and event.mimeData().hasFormat(ROLE_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return True
        event.ignore()
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accepts(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accepts(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._accepts(event):
            return
        label = bytes(event.mimeData().data(ROLE_MIME).data()).decode("utf-8", "replace")
        point = self.mapToScene(event.position().toPoint())
        self.role_dropped.emit(label, point)

    # -- keys

    def event(self, event: Any) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                             | Qt.KeyboardModifier.AltModifier)):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if self.tab_handler(forward):
                event.accept()
                return True
            return QWidget.focusNextPrevChild(self, forward)
        return super().event(event)

    _ARROWS: ClassVar[dict[Qt.Key, tuple[int, int]]] = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
               Qt.Key.Key_Down: (0, 1)}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in self._ARROWS and modifiers in (Qt.KeyboardModifier.NoModifier,
                                                 Qt.KeyboardModifier.ShiftModifier):
            dx, dy = self._ARROWS[key]
            extend = modifiers == Qt.KeyboardModifier.ShiftModifier
            if not self.arrow_handler(dx, dy, extend):
                self.pan(dx, dy)
            event.accept()
            return
        if key == Qt.Key.Key_Escape and (self.scene().selectedItems()
                                         or self.scene().focusItem() is not None):
            self.scene().clearSelection()
            self.scene().setFocusItem(None)
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


# ----------------------------------------------------------------------------- ring names


class RingNamesDialog(QDialog):
    """Rename the three rings at once; an empty name goes back to the default."""

    def __init__(self, names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rename rings")
        self.setAccessibleName("Rename rings")
        form = QFormLayout()
        self.edits: list[QLineEdit] = []
        for ring in range(RING_COUNT):
            edit = QLineEdit(self)
            edit.setMaxLength(RING_NAME_MAX_CHARS)
            edit.setText(names[ring] if ring < len(names) else "")
            edit.setPlaceholderText(DEFAULT_RING_NAMES[ring])
            where = ("the centre ring" if ring == 0 else
                     "the outer ring" if ring == RING_COUNT - 1 else "the middle ring")
            edit.setAccessibleName(f"Name of {where}")
            label = QLabel(f"&{ring + 1}. {where.capitalize()}:", self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.edits.append(edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel("Leave a name empty to use the toolkit's name.", self)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.edits[0].setFocus()

    def names(self) -> list[str]:
        return [edit.text() for edit in self.edits]


# ----------------------------------------------------------------------------- the view


class StakeholderMapView(ExerciseView, QWidget):
    """The stakeholder map of one workshop: palette, canvas and who-to-invite list."""

    error_shown = Signal(str)
    organisations_requested = Signal()  # the facilitator wants to add or rename organisations
    """Every error shown to the user (also in a warning box unless turned off)."""

    error_title = "The map was not changed"
    """Set False to only emit ``error_shown`` (the box is non-blocking either way)."""

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, bridge, undo_stack, parent)
        self._workshop: Workshop | None = None
        self._map: StakeholderMap | None = None
        self._areas: list[Organisation | None] = []
        self._geometry: MapGeometry | None = None
        self._ring_names: tuple[str, ...] = DEFAULT_RING_NAMES
        self._tab_order: list[int] = []
        self._labels: set[str] = set()
        self._selection_order: list[int] = []
        self._quiet = False
        self._fitted = True
        self._content = QRectF()
        self.cards: dict[int, CardItem] = {}
        self.links: dict[int, LinkItem] = {}
        self.file_dialog: QFileDialog | None = None

        # Cards are cached as pixmaps; a few hundred of them need more than Qt's default 10 MB.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 96 * 1024))
        self.setAccessibleName("Stakeholder map")
        self.scene = QGraphicsScene(self)
        self.scene.setBackgroundBrush(QColor(BACKGROUND))
        self.backdrop = BackdropItem()
        self.scene.addItem(self.backdrop)
        self._build_ui()
        self._create_actions()
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.scene.focusItemChanged.connect(self._on_scene_focus_item_changed)
        self.bridge.changed.connect(self._on_bridge_changed)
        self._update_actions()
        self._update_status()

    # ----------------------------------------------------------------- building

    def _build_ui(self) -> None:
        self.toolbar = QToolBar("Stakeholder map", self)
        self.toolbar.setAccessibleName("Map tools")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)

        self.palette = RolePalette(self.store, self)
        self.palette.role_chosen.connect(self._on_palette_role_chosen)
        self.invite_list = InviteListView(self)
        self.invite_list.stakeholder_activated.connect(self._on_invite_list_stakeholder_activated)

        self.view = MapCanvas(self.scene, self)
        self.view.tab_handler = self._on_canvas_tab
        self.view.arrow_handler = self._on_canvas_arrow
        self.view.cards_moved.connect(self._on_view_cards_moved)
        self.view.item_double_clicked.connect(self._on_view_item_double_clicked)
        self.view.role_dropped.connect(self._on_view_role_dropped)
        self.view.resized.connect(self._on_view_resized)
        self.view.context_menu_requested.connect(self._on_view_context_menu_requested)

        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Map status")
        self.status_label.setContentsMargins(8, 2, 8, 2)

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.status_label)

        # The palette and the invite list share one tabbed panel, so the map keeps the room.
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setAccessibleName("Roles and who to invite")
        self.side_tabs.addTab(self.palette, "&Add roles")
        self.side_tabs.addTab(self.invite_list, "&Who to invite")
        self.side_tabs.setTabToolTip(0, "Drag a role onto the map, or pick one and press Enter")
        self.side_tabs.setTabToolTip(1, "Everyone on the map, ring by ring, with their invitation")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([1000, 360])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.view)

    def _create_actions(self) -> None:
        a = self._action
        canvas = self.view
        self.add_action = a("&Add card…", ["N", "Ins"],
                            "Add a stakeholder card (or drag a role from the palette)",
                            self._on_add_triggered, canvas)
        self.edit_action = a("&Edit…", ["Return", "Enter", "F2"],
                             "Edit the selected card, or relabel the selected line",
                             self._on_edit_triggered, canvas)
        self.connect_action = a("&Connect…", ["Ctrl+L"],
                                "Connect the two selected cards with a labelled line",
                                self._on_connect_triggered, canvas)
        self.delete_action = a("&Delete", [QKeySequence.StandardKey.Delete, "Backspace"],
                               "Delete the selected cards (with their lines) or lines",
                               self._on_delete_triggered, canvas)
        self.select_all_action = a("Select &all cards", ["Ctrl+A"], "Select every card",
                                   self.select_all, canvas)
        self.inward_action = a("Move &inward", ["Ctrl+["],
                               "Move the selected cards one ring nearer the centre",
                               lambda: self.move_ring(-1), canvas)
        self.outward_action = a("Move &outward", ["Ctrl+]"],
                                "Move the selected cards one ring further out",
                                lambda: self.move_ring(1), canvas)
        self.nudge_menu = QMenu("&Nudge", self)
        self.nudge_actions: list[QAction] = []
        for name, key, dx, dy in (("left", "Left", -1, 0), ("right", "Right", 1, 0),
                                  ("up", "Up", 0, -1), ("down", "Down", 0, 1)):
            action = a(f"Nudge {name}", [f"Ctrl+{key}", f"Alt+{key}"],
                       f"Move the selected cards a little {name}, within their area and ring",
                       lambda x=dx, y=dy: self.nudge(x, y), canvas)
            self.nudge_menu.addAction(action)
            self.nudge_actions.append(action)
        self.nudge_menu.menuAction().setStatusTip(
            "Move the selected cards a little, within their area and ring")
        self.rename_rings_action = a("&Rename rings…", ["Shift+F2"],
                                     "Rename the rings of the map (or double-click a ring's name)",
                                     self._on_rename_rings_triggered)
        self.edit_actions: list[QAction] = [
            self.add_action, self.edit_action, self.connect_action, self.delete_action,
            self.select_all_action, self.inward_action, self.outward_action,
            self.nudge_menu.menuAction(), self.rename_rings_action,
        ]

        self.zoom_in_action = a("Zoom &in", ["Ctrl+=", "Ctrl++"], "Make the map bigger",
                                lambda: self.zoom(ZOOM_STEP))
        self.zoom_out_action = a("Zoom &out", ["Ctrl+-"], "Make the map smaller",
                                 lambda: self.zoom(1 / ZOOM_STEP))
        self.fit_action = a("&Fit to screen", ["Ctrl+0"], "Show the whole map",
                            self.fit_to_screen)
        self.panels_action = a("Show &palette and invite list", ["Ctrl+Shift+P"],
                               "Show or hide the roles palette and the who-to-invite list "
                               "(hide them to give the map the whole screen)", lambda: None)
        self.panels_action.setCheckable(True)
        self.panels_action.setChecked(True)
        self.panels_action.toggled.connect(self.set_side_panels_visible)
        self.view_actions: list[QAction] = [
            self.zoom_in_action, self.zoom_out_action, self.fit_action, self.panels_action,
        ]

        self.organisations_action = a(
            "&Organisations…", [], "Add or rename the partner organisations; each gets an area "
            "of the map", self.organisations_requested.emit)

        self.export_menu = QMenu("E&xport", self)
        self.export_actions: list[QAction] = []
        for kind, text in (("png", "Export map as P&NG…"), ("svg", "Export map as &SVG…"),
                           ("pdf", "Export map as P&DF…"), ("csv", "Export map cards as CS&V…")):
            action = a(text, [], EXPORT_KINDS[kind][0].replace("Export", "Save", 1),
                       lambda k=kind: self.export_as(k))
            self.export_menu.addAction(action)
            self.export_actions.append(action)

        for action in (self.add_action, self.edit_action, self.connect_action,
                       self.delete_action, self.organisations_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setAccessibleName("Export the map")
        self.export_button.setToolTip("Save the map as PNG, SVG or PDF, or its cards as CSV")
        self.export_button.setMenu(self.export_menu)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.toolbar.addWidget(self.export_button)
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if button is not None and not button.accessibleName():
                button.setAccessibleName(action.text().replace("&", "").rstrip("…"))

        self.context_menu = QMenu(self)
        for action in (self.edit_action, self.connect_action, self.delete_action, None,
                       self.inward_action, self.outward_action, None, self.add_action,
                       self.rename_rings_action):
            if action is None:
                self.context_menu.addSeparator()
            else:
                self.context_menu.addAction(action)

    # ----------------------------------------------------------------- public interface

    @property
    def map_geometry(self) -> MapGeometry | None:
        """The map's current geometry (None with no workshop)."""
        return self._geometry

    @property
    def areas(self) -> list[Organisation | None]:
        return list(self._areas)

    def set_workshop(self, workshop_id: int | None) -> None:
        """Show this workshop's map (``None`` shows an empty canvas)."""
        self._close_dialog()
        self._workshop_id = workshop_id
        self._workshop = None
        self._selection_order = []
        self._clear_items()
        self._fitted = True
        self._refresh()
        self.fit_to_screen()

    def focus_map(self) -> None:
        """Put keyboard focus on the canvas (the current card keeps the scene's focus)."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_status()

    def card(self, stakeholder_id: int) -> CardItem:
        return self.cards[stakeholder_id]

    def selected_card_ids(self) -> list[int]:
        """Selected cards in the order they were selected."""
        selected = {i.stakeholder_id for i in self.scene.selectedItems()
                    if isinstance(i, CardItem)}
        ordered = [i for i in self._selection_order if i in selected]
        return ordered + sorted(selected.difference(ordered))

    def selected_link_ids(self) -> list[int]:
        return sorted(i.link_id for i in self.scene.selectedItems() if isinstance(i, LinkItem))

    def current_card(self) -> CardItem | None:
        """The card with keyboard focus, else the last selected card."""
        item = self.scene.focusItem()
        if isinstance(item, CardItem) and item.scene() is self.scene:
            return item
        ids = self.selected_card_ids()
        return self.cards.get(ids[-1]) if ids else None

    def select_cards(self, ids: Iterable[int], *, focus: bool = False) -> None:
        """Select exactly these cards; the first one gets the scene's focus and is shown."""
        wanted = [i for i in ids if i in self.cards]
        with self._quietly():
            self.scene.clearSelection()
            for stakeholder_id in wanted:
                self.cards[stakeholder_id].setSelected(True)
        self._selection_order = list(wanted)
        if wanted:
            card = self.cards[wanted[0]]
            self.scene.setFocusItem(card, Qt.FocusReason.OtherFocusReason)
            self.view.ensureVisible(card, 40, 40)
        if focus:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_scene_selection_changed()

    def select_all(self) -> None:
        with self._quietly():
            for card in self.cards.values():
                card.setSelected(True)
        self._on_scene_selection_changed()

    def set_side_panels_visible(self, visible: bool) -> None:
        self.side_tabs.setVisible(visible)
        if self.panels_action.isChecked() != visible:
            self.panels_action.setChecked(visible)

    # -- zoom

    def content_rect(self) -> QRectF:
        """Everything drawn: the ellipse, the area names and every card."""
        rect = QRectF(self.backdrop.boundingRect())
        for card in self.cards.values():
            rect = rect.united(card.mapRectToScene(card.card_rect()))
        return rect

    def fit_to_screen(self) -> None:
        """Show the whole map as large as the canvas allows (and keep it so on resizes)."""
        self._fitted = True
        rect = self._content if self._content.isValid() else self.content_rect()
        if rect.isValid() and self.view.viewport().width() > 0:
            self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self._fitted = False
        self.view.zoom_by(factor)

    def label_pixel_size(self) -> float:
        """A card label's height on screen in pixels at the current zoom."""
        return LABEL_FONT_SIZE * self.view.scale_factor()

    # -- exports

    def export_png(self, path: Path | str) -> Path:
        """Save the whole map as a PNG at least 1600 pixels wide; returns the path."""
        if self._map is None:
            raise StoreError("Open a workshop first: there is no map to save as a picture.")
        rect = self.content_rect().adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN,
                                            EXPORT_MARGIN)
        width = max(EXPORT_MIN_WIDTH, min(EXPORT_MAX_WIDTH, round(rect.width() * 0.75)))
        height = max(1, round(rect.height() * width / rect.width()))
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor(BACKGROUND))
        selected = [item for item in self.scene.selectedItems()]
        focus_item = self.scene.focusItem()
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            with self._quietly():
                self.scene.clearSelection()
                self.scene.setFocusItem(None)
                try:
                    self.scene.render(painter, QRectF(0, 0, width, height), rect,
                                      Qt.AspectRatioMode.KeepAspectRatio)
                finally:
                    for item in selected:
                        item.setSelected(True)
                    if focus_item is not None:
                        self.scene.setFocusItem(focus_item)
        finally:
            painter.end()
        from workshopkit.ui.board_image import save_png

        return save_png(image, path, what="map")

    def _map_and_title(self) -> tuple[StakeholderMap, str]:
        if self._workshop_id is None:
            raise StoreError("Open a workshop first: there is no map to export.")
        stakeholder_map = self.store.stakeholder_map(self._workshop_id)
        return stakeholder_map, self.store.get_workshop(self._workshop_id).title

    def export_svg(self, path: Path | str) -> Path:
        from workshopkit.export.stakeholder_map import write_map_svg

        return Path(write_map_svg(*self._map_and_title(), path))

    def export_pdf(self, path: Path | str) -> Path:
        from workshopkit.export.stakeholder_map import write_map_pdf

        return Path(write_map_pdf(*self._map_and_title(), path))

    def export_csv(self, path: Path | str) -> Path:
        from workshopkit.export.csvfile import write_stakeholders_csv

        return Path(write_stakeholders_csv(self._map_and_title()[0], path))

    def export_as(self, kind: str) -> QFileDialog | None:
        """Ask where to save (a non-blocking file dialog), then export; returns the dialog."""
        if self._workshop_id is None:
            return None
        from PySide6.QtCore import QStandardPaths

        from workshopkit.ui.start_screen import safe_file_name

        caption, name_filter, suffix = EXPORT_KINDS[kind]
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        title = self._workshop.title if self._workshop is not None else "workshop"
        dialog = QFileDialog(self, caption, str(Path(folder) / (safe_file_name(title) + suffix)),
                             name_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(kind)
        dialog.setAccessibleName(caption)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path, k=kind: self.export_to(k, path))
        dialog.finished.connect(self._on_file_dialog_finished)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, kind: str, path: str | Path) -> Path | None:
        exporters = {"png": self.export_png, "svg": self.export_svg, "pdf": self.export_pdf,
                     "csv": self.export_csv}
        try:
            written = exporters[kind](path)
        except (StoreError, OSError) as error:
            self._show_error(str(error), "Could not export the map")
            return None
        self._announce(f"Saved {written.name} to {written.parent}")
        return written

    def _on_file_dialog_finished(self, _result: int) -> None:
        if self.sender() is self.file_dialog:
            self.file_dialog = None

    # ----------------------------------------------------------------- refreshing

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        if change.kind in (ChangeKind.STAKEHOLDERS, ChangeKind.ORGANISATIONS,
                           ChangeKind.WORKSHOPS):
            self._refresh()

    def _refresh(self) -> None:
        stakeholder_map: StakeholderMap | None = None
        if self._workshop_id is not None:
            try:
                self._workshop = self.store.get_workshop(self._workshop_id)
                stakeholder_map = self.store.stakeholder_map(self._workshop_id)
            except NotFoundError:
                self._workshop_id = None
                self._workshop = None
            except StoreError as error:
                self._show_error(str(error))
                return
        self._apply_map(stakeholder_map)

    def _clear_items(self) -> None:
        with self._quietly():
            for link in self.links.values():
                link.detach()
                self.scene.removeItem(link)
            for card in self.cards.values():
                self.scene.removeItem(card)
        self.links.clear()
        self.cards.clear()

    def _apply_map(self, stakeholder_map: StakeholderMap | None) -> None:
        """Bring the scene in line with ``stakeholder_map``, touching only what changed."""
        self._map = stakeholder_map
        if stakeholder_map is None:
            self._clear_items()
            self._areas, self._geometry = [], None
            self._tab_order = []
            self.backdrop.setVisible(False)
            self.invite_list.set_map(None)
            self._content = QRectF()
            self._update_actions()
            self._update_status()
            return
        areas = map_areas(stakeholder_map.organisations, stakeholder_map.stakeholders)
        geometry = map_geometry(len(areas), len(stakeholder_map.stakeholders))
        ring_names = tuple(stakeholder_map.ring_names[i] or DEFAULT_RING_NAMES[i]
                           for i in range(RING_COUNT))
        self._areas, self._geometry, self._ring_names = areas, geometry, ring_names
        self.backdrop.setVisible(True)
        self.backdrop.set_map(geometry, [area_name(a) for a in areas], ring_names)
        names = {(a.id if a is not None else None): area_name(a) for a in areas}

        with self._quietly():
            present = {s.id for s in stakeholder_map.stakeholders}
            for link_id in [i for i, link in self.links.items()
                            if link.link.source_id not in present
                            or link.link.target_id not in present]:
                self._remove_link(link_id)
            for stakeholder_id in [i for i in self.cards if i not in present]:
                self.scene.removeItem(self.cards.pop(stakeholder_id))
            for s in stakeholder_map.stakeholders:
                area = area_index(areas, s.organisation_id)
                organisation = names.get(s.organisation_id, area_name(None))
                text = describe(s, organisation, ring_names[s.ring])
                x, y = geometry.point(area, s.ring, s.across, s.depth)
                card = self.cards.get(s.id)
                if card is None:
                    card = CardItem(s, text)
                    card.setPos(x, y)
                    self.scene.addItem(card)
                    self.cards[s.id] = card
                else:
                    card.set_stakeholder(s, text)
                    if card.pos() != QPointF(x, y):
                        card.setPos(x, y)
            links = {link.id: link for link in stakeholder_map.links}
            for link_id in [i for i in self.links if i not in links]:
                self._remove_link(link_id)
            for link in stakeholder_map.links:
                item = self.links.get(link.id)
                if item is None:
                    source, target = self.cards.get(link.source_id), self.cards.get(link.target_id)
                    if source is None or target is None:
                        continue
                    item = LinkItem(link, source, target)
                    self.scene.addItem(item)
                    self.links[link.id] = item
                elif item.link != link:
                    item.set_link(link)

        self._tab_order = [entry.stakeholder.id for ring in invite_list(stakeholder_map)
                           for entry in ring.entries]
        content = self.content_rect()
        if content != self._content:
            self._content = content
            pad = max(content.width(), content.height()) * 0.6
            self.scene.setSceneRect(content.adjusted(-pad, -pad, pad, pad))
            if self._fitted:
                self.fit_to_screen()
        self.invite_list.set_map(stakeholder_map)
        labels = {s.label for s in stakeholder_map.stakeholders}
        if labels != self._labels:
            self._labels = labels
            self.palette.refresh()
        self._selection_order = [i for i in self._selection_order if i in self.cards]
        self._update_actions()
        self._update_status()

    def _remove_link(self, link_id: int) -> None:
        item = self.links.pop(link_id)
        item.detach()
        self.scene.removeItem(item)

    def _place_cards(self) -> None:
        """Put every card back on its stored point (after a move the store refused)."""
        self._refresh()

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        """Selection signals are handled once afterwards, not once per item."""
        was = self._quiet
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = was

    # ----------------------------------------------------------------- selection and status

    def _on_scene_selection_changed(self) -> None:
        if self._quiet:
            return
        selected = {i.stakeholder_id for i in self.scene.selectedItems()
                    if isinstance(i, CardItem)}
        order = [i for i in self._selection_order if i in selected]
        self._selection_order = order + sorted(selected.difference(order))
        self._update_actions()
        self._update_status()

    def _on_scene_focus_item_changed(self, *_args: object) -> None:
        if not self._quiet:
            self._update_status()

    def _update_actions(self) -> None:
        has_map = self._map is not None
        cards = self.selected_card_ids() if has_map else []
        links = self.selected_link_ids() if has_map else []
        self.add_action.setEnabled(has_map)
        self.edit_action.setEnabled(has_map and (self.current_card() is not None
                                                 or (not cards and len(links) == 1)))
        self.connect_action.setEnabled(len(cards) == 2)
        self.delete_action.setEnabled(bool(cards or links))
        self.select_all_action.setEnabled(bool(has_map and self.cards))
        for action in (self.inward_action, self.outward_action, *self.nudge_actions):
            action.setEnabled(bool(cards))
        self.nudge_menu.menuAction().setEnabled(bool(cards))
        for action in (self.rename_rings_action, self.zoom_in_action, self.zoom_out_action,
                       self.fit_action, *self.export_actions):
            action.setEnabled(has_map)
        self.export_button.setEnabled(has_map)

    def status_text(self) -> str:
        if self._map is None:
            return "Open a workshop to see its stakeholder map."
        cards = self.selected_card_ids()
        links = self.selected_link_ids()
        current = self.current_card()
        if len(cards) > 1:
            first = self.cards[cards[0]].description
            return f"{len(cards)} cards selected, first {first}. Ctrl+L connects two cards."
        if current is not None and (not cards or cards == [current.stakeholder_id]):
            return current.description
        if links and not cards:
            link = self.links[links[0]].link
            source = self.cards[link.source_id].stakeholder.label
            target = self.cards[link.target_id].stakeholder.label
            label = f" “{link.label}”" if link.label else ""
            return f"Line{label} from {source} to {target}. Enter relabels, Delete deletes."
        count = len(self.cards)
        noun = "card" if count == 1 else "cards"
        if not count:
            if not any(area is not None for area in self._areas):
                return ("No organisations yet: use Organisations… to add the partners, one area "
                        "of the map each. Then drag a role onto the map, or press N.")
            return ("No cards yet. Drag a role from the palette onto the map, or press N to "
                    "add one.")
        return (f"{count} {noun}. Tab goes from card to card, arrow keys pan; drag empty space "
                "to pan, Shift+drag to select several.")

    def _update_status(self) -> None:
        text = self.status_text()
        if self.status_label.text() != text:
            self.status_label.setText(text)
            self.view.setAccessibleDescription(text)

    def _announce(self, text: str) -> None:
        self.status_label.setText(text)
        self.view.setAccessibleDescription(text)

    # ----------------------------------------------------------------- keyboard navigation

    def _on_canvas_tab(self, forward: bool) -> bool:
        order = [i for i in self._tab_order if i in self.cards]
        if not order:
            return False
        current = self.current_card()
        if current is None or current.stakeholder_id not in order:
            index = 0 if forward else len(order) - 1
        else:
            index = order.index(current.stakeholder_id) + (1 if forward else -1)
            if not 0 <= index < len(order):
                return False  # past the last card: focus leaves the map
        self.select_cards([order[index]])
        return True

    def _on_canvas_arrow(self, dx: int, dy: int, extend: bool) -> bool:
        current = self.current_card()
        if current is None or not self.selected_card_ids():
            return False  # nothing selected: the arrow keys pan
        origin = current.pos()
        best: CardItem | None = None
        best_score = math.inf
        for card in self.cards.values():
            if card is current:
                continue
            vx, vy = card.pos().x() - origin.x(), card.pos().y() - origin.y()
            along = vx * dx + vy * dy
            if along <= 1e-6:
                continue
            across = abs(vx * dy - vy * dx)
            score = along + 2.5 * across
            if score < best_score:
                best, best_score = card, score
        if best is None:
            return True  # at the edge of the map: stay on this card
        if extend:
            ids = [*self.selected_card_ids(), best.stakeholder_id]
            with self._quietly():
                best.setSelected(True)
            self._selection_order = list(dict.fromkeys(ids))
            self.scene.setFocusItem(best, Qt.FocusReason.OtherFocusReason)
            self.view.ensureVisible(best, 40, 40)
            self._on_scene_selection_changed()
        else:
            self.select_cards([best.stakeholder_id])
        return True

    # ----------------------------------------------------------------- commands

    def _focus_after_dialog(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _area_of(self, s: Stakeholder) -> int:
        return area_index(self._areas, s.organisation_id)

    def _current_area(self) -> int:
        current = self.current_card()
        return self._area_of(current.stakeholder) if current is not None else 0

    def _free_spot(self, area: int, ring: int, exclude: Iterable[int] = ()) -> tuple[float,
                                                                                     float]:
        skip = set(exclude)
        taken = [(c.stakeholder.across, c.stakeholder.depth) for c in self.cards.values()
                 if c.stakeholder.ring == ring and self._area_of(c.stakeholder) == area
                 and c.stakeholder_id not in skip]
        return free_spot(taken)

    def _organisation_id(self, area: int) -> int | None:
        if not 0 <= area < len(self._areas):
            return None
        organisation = self._areas[area]
        return organisation.id if organisation is not None else None

    # -- adding

    def add_card(self, fields: dict[str, Any], *, focus: bool = False) -> int | None:
        """Add one card through the undo stack and select it; its id, or None if refused."""
        if self._workshop_id is None:
            return None
        command = AddStakeholdersCommand(self.store, self._workshop_id, [fields])
        if not self._push(command):
            return None
        new_id = command.ids[0]
        self.select_cards([new_id], focus=focus)
        return new_id

    def add_role(self, label: str, area: int, ring: int = 0, *, focus: bool = False,
                 spot: tuple[float, float] | None = None) -> int | None:
        across, depth = spot if spot is not None else self._free_spot(area, ring)
        return self.add_card({"label": label, "organisation_id": self._organisation_id(area),
                              "ring": ring, "across": across, "depth": depth}, focus=focus)

    def _on_palette_role_chosen(self, label: str) -> None:
        if self._map is not None and self.dialog is None:
            self.add_role(label, self._current_area(), 0)

    def _on_view_role_dropped(self, label: str, point: QPointF) -> None:
        if self._geometry is None or not label.strip():
            return
        area, ring, across, depth = self._geometry.locate(point.x(), point.y())
        self.add_role(label, area, ring, spot=(across, depth), focus=True)

    def _on_add_triggered(self) -> None:
        if self._map is None:
            return
        from workshopkit.ui.stakeholder_dialog import StakeholderDialog

        dialog = StakeholderDialog(self._areas, self._ring_names, area=self._current_area(),
                                   ring=0, commit=self._commit_add, parent=self)
        self._open_dialog(dialog)

    def _commit_add(self, fields: dict[str, Any]) -> bool:
        area = area_index(self._areas, fields.get("organisation_id"))
        across, depth = self._free_spot(area, int(fields.get("ring", 0)))
        return self.add_card({**fields, "across": across, "depth": depth},
                             focus=True) is not None

    # -- editing

    def _on_edit_triggered(self) -> None:
        cards = self.selected_card_ids()
        links = self.selected_link_ids()
        if not cards and links:
            self._relabel(links[0])
            return
        current = self.current_card()
        if current is None:
            return
        self.edit_card(current.stakeholder_id)

    def edit_card(self, stakeholder_id: int) -> None:
        card = self.cards.get(stakeholder_id)
        if card is None:
            return
        from workshopkit.ui.stakeholder_dialog import StakeholderDialog

        stakeholder = card.stakeholder
        dialog = StakeholderDialog(self._areas, self._ring_names, stakeholder,
                                   commit=lambda f, s=stakeholder: self._commit_edit(s, f),
                                   parent=self)
        self._open_dialog(dialog)

    def _commit_edit(self, stakeholder: Stakeholder, fields: dict[str, Any]) -> bool:
        changes: dict[str, Any] = {}
        for key, value in fields.items():
            old = getattr(stakeholder, key)
            if key == "responsibilities":
                if {str(v) for v in value} != {str(v) for v in old}:
                    changes[key] = list(value)
            elif key == "organisation_id":
                if area_index(self._areas, value) != self._area_of(stakeholder):
                    changes[key] = value
            elif value != old:
                changes[key] = value
        if not changes:
            return True
        if "organisation_id" in changes or "ring" in changes:
            area = area_index(self._areas, changes.get("organisation_id",
                                                       stakeholder.organisation_id))
            ring = int(changes.get("ring", stakeholder.ring))
            changes["across"], changes["depth"] = self._free_spot(area, ring,
                                                                  exclude=[stakeholder.id])
        command = UpdateStakeholdersCommand(self.store, {stakeholder.id: changes},
                                            text="Edit card")
        if not self._push(command):
            return False
        self.select_cards([stakeholder.id], focus=True)
        return True

    def _relabel(self, link_id: int) -> None:
        item = self.links.get(link_id)
        if item is None:
            return
        self._ask_text("Relabel line", "What the line means (may be empty):", item.link.label,
                       lambda text, i=link_id: self._push(
                           RelabelLinkCommand(self.store, i, text)),
                       LINK_LABEL_MAX_CHARS)

    def _on_view_item_double_clicked(self, item: object, point: QPointF) -> None:
        if self._map is None or self.dialog is not None:
            return
        if isinstance(item, CardItem):
            self.select_cards([item.stakeholder_id], focus=True)
            self.edit_card(item.stakeholder_id)
        elif isinstance(item, LinkItem):
            self._relabel(item.link_id)
        else:
            ring = self.backdrop.ring_name_at(self.backdrop.mapFromScene(point))
            if ring is not None:
                self.rename_ring(ring)

    # -- rings

    def rename_ring(self, ring: int) -> None:
        if self._workshop_id is None:
            return
        workshop_id = self._workshop_id
        self._ask_text("Rename ring", f"New name for “{self._ring_names[ring]}” (empty for "
                       f"“{DEFAULT_RING_NAMES[ring]}”):", self._ring_names[ring],
                       lambda name, r=ring: self._push(
                           RenameRingCommand(self.store, workshop_id, r, name)),
                       RING_NAME_MAX_CHARS)

    def _on_rename_rings_triggered(self) -> None:
        if self._workshop_id is None:
            return
        dialog = RingNamesDialog(self._ring_names, self)
        dialog.accepted.connect(lambda d=dialog: self._rename_rings(d.names()))
        self._open_dialog(dialog)

    def _rename_rings(self, names: Sequence[str]) -> None:
        if self._workshop_id is None:
            return
        changed = [(ring, name) for ring, name in enumerate(names)
                   if (name.strip() or DEFAULT_RING_NAMES[ring]) != self._ring_names[ring]]
        if not changed:
            return
        if len(changed) > 1:
            self.undo_stack.beginMacro("Rename rings")
        try:
            for ring, name in changed:
                if not self._push(RenameRingCommand(self.store, self._workshop_id, ring, name)):
                    break
        finally:
            if len(changed) > 1:
                self.undo_stack.endMacro()

    # -- moving

    def move_ring(self, step: int) -> None:
        """Move the selected cards one ring inward (-1) or outward (1), keeping their place."""
        changes = {}
        for stakeholder_id in self.selected_card_ids():
            s = self.cards[stakeholder_id].stakeholder
            if 0 <= s.ring + step < RING_COUNT:
                changes[stakeholder_id] = {"ring": s.ring + step}
        if not changes:
            self._announce("The selected cards are already in the "
                           + ("centre ring." if step < 0 else "outer ring."))
            return
        noun = "card" if len(changes) == 1 else f"{len(changes)} cards"
        text = f"Move {noun} {'inward' if step < 0 else 'outward'}"
        ids = self.selected_card_ids()
        if self._push(UpdateStakeholdersCommand(self.store, changes, text=text)):
            self.select_cards(ids)

    def nudge(self, dx: int, dy: int) -> None:
        """Move the selected cards a little along (dx, dy), within their area and ring."""
        geometry = self._geometry
        if geometry is None:
            return
        changes = {}
        for stakeholder_id in self.selected_card_ids():
            s = self.cards[stakeholder_id].stakeholder
            across, depth = nudge_spot(geometry, self._area_of(s), s.ring, s.across, s.depth,
                                       dx, dy)
            if abs(across - s.across) > 1e-6 or abs(depth - s.depth) > 1e-6:
                changes[stakeholder_id] = {"across": across, "depth": depth}
        if changes:
            noun = "card" if len(changes) == 1 else f"{len(changes)} cards"
            self._push(UpdateStakeholdersCommand(self.store, changes, text=f"Nudge {noun}",
                                                 nudge=True))

    def _on_view_cards_moved(self, moved: dict[int, QPointF]) -> None:
        geometry = self._geometry
        if geometry is None:
            return
        changes: dict[int, dict[str, Any]] = {}
        for stakeholder_id, point in moved.items():
            card = self.cards.get(stakeholder_id)
            if card is None:
                continue
            s = card.stakeholder
            area, ring, across, depth = geometry.locate(point.x(), point.y())
            organisation_id = self._organisation_id(area)
            fields: dict[str, Any] = {}
            if area != self._area_of(s):
                fields["organisation_id"] = organisation_id
            if ring != s.ring:
                fields["ring"] = ring
            if abs(across - s.across) > 1e-6 or abs(depth - s.depth) > 1e-6:
                fields.update(across=across, depth=depth)
            if fields:
                changes[stakeholder_id] = fields
        noun = "card" if len(changes) == 1 else f"{len(changes)} cards"
        if not changes or not self._push(UpdateStakeholdersCommand(self.store, changes,
                                                                   text=f"Move {noun}")):
            self._place_cards()

    # -- connecting and deleting

    def _on_connect_triggered(self) -> None:
        ids = self.selected_card_ids()
        if len(ids) != 2:
            self._announce("Select two cards to connect them (Ctrl+click the second).")
            return
        source, target = ids
        names = (self.cards[source].stakeholder.label, self.cards[target].stakeholder.label)
        self._ask_text("Connect cards", f"Label for the line from “{names[0]}” to "
                       f"“{names[1]}” (may be empty):", "",
                       lambda text, a=source, b=target: self.connect_cards(a, b, text),
                       LINK_LABEL_MAX_CHARS)

    def connect_cards(self, source_id: int, target_id: int, label: str = "") -> int | None:
        command = AddLinkCommand(self.store, source_id, target_id, label)
        if not self._push(command) or command.link is None:
            return None
        return command.link.id

    def _on_delete_triggered(self) -> None:
        cards = self.selected_card_ids()
        links = self.selected_link_ids()
        if cards:
            self._push(DeleteStakeholdersCommand(self.store, cards, links))
        elif links:
            self._push(DeleteLinksCommand(self.store, links))

    # -- other widgets

    def show_invite_list(self) -> None:
        """Bring the who-to-invite tab forward (and the side panel, if it was hidden)."""
        self.set_side_panels_visible(True)
        self.side_tabs.setCurrentWidget(self.invite_list)

    def _on_invite_list_stakeholder_activated(self, stakeholder_id: int) -> None:
        if stakeholder_id in self.cards:
            self.select_cards([stakeholder_id], focus=True)
            self.view.centerOn(self.cards[stakeholder_id])

    def _on_view_resized(self) -> None:
        if self._fitted:
            self.fit_to_screen()

    def _on_view_context_menu_requested(self, global_pos: Any) -> None:
        if self._map is not None:
            self._update_actions()
            self.context_menu.popup(global_pos)
