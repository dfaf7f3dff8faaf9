"""The facilitator's control over phone post-its: approval queue, hold and reveal, dot voting.

Every change goes through a store verb; approving and hiding are undoable (Ctrl+Z) through
:class:`SetStatusCommand`. The moderation log is kept with the workshop and shown here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import (
    DEFAULT_VOTE_BUDGET,
    MAX_VOTE_BUDGET,
    Change,
    ChangeKind,
    Column,
    JoinSettings,
    Moderation,
    PostIt,
    Status,
)
from workshopkit.store import Store, StoreError
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.commands import DeletePostItsCommand, ErrorHandler, StoreCommand
from workshopkit.ui.guidance_panel import plain_tooltip

LOG_LIMIT = 200
_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class SetStatusCommand(StoreCommand):
    """Approve, hide or send back post-its; undo restores each one's previous status."""

    def __init__(self, store: Store, postit_ids: Sequence[int], status: Status, text: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, text, on_error)
        self.postit_ids = list(postit_ids)
        self.status = Status(status)
        self.previous: dict[Status, list[int]] = {}

    def _redo(self) -> None:
        records = self.store.set_status(self.postit_ids, self.status)
        self.previous = {}
        for record in records:
            self.previous.setdefault(record.status, []).append(record.id)

    def _undo(self) -> None:
        for status, ids in self.previous.items():
            self.store.set_status(ids, status, action="undone")


class QueueList(QListWidget):
    """Pending post-its: A approves, H hides, Delete deletes the selected ones."""

    def __init__(self, panel: ModerationPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                 Qt.KeyboardModifier.KeypadModifier):
            if key in (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._panel.approve_selected()
                return
            if key == Qt.Key.Key_H:
                self._panel.hide_selected()
                return
            if key == Qt.Key.Key_Delete:
                self._panel.delete_selected()
                return
        super().keyPressEvent(event)


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ModerationPanel(QWidget):
    """Moderation mode, the approval queue, hold-until-reveal, dot voting and the log."""

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.bridge = bridge
        self.undo_stack = undo_stack
        self.workshop_id: int | None = None
        self.settings: JoinSettings | None = None
        self.message_box: QMessageBox | None = None
        self._syncing = False
        self.setAccessibleName("Moderation and voting")
        self.setMinimumWidth(320)

        layout = QVBoxLayout(self)
        # --- moderation
        moderation = QGroupBox("Phone post-its", self)
        form = QFormLayout(moderation)
        self.mode_combo = QComboBox(moderation)
        self.mode_combo.addItem("Off: appear at once", Moderation.OFF.value)
        self.mode_combo.addItem("Approval: wait in the queue", Moderation.APPROVAL.value)
        self.mode_combo.setAccessibleName("Moderation mode")
        self.mode_combo.currentIndexChanged.connect(self._on_mode_combo_current_index_changed)
        form.addRow(_plain_label("Moderation:", moderation), self.mode_combo)
        self.hold_check = QCheckBox("&Hold until reveal", moderation)
        self.hold_check.setAccessibleName("Hold until reveal")
        self.hold_check.setToolTip("Collect post-its out of sight, then reveal them all at once")
        self.hold_check.toggled.connect(self._on_hold_check_toggled)
        form.addRow(self.hold_check)
        self.column_combo = QComboBox(moderation)
        self.column_combo.addItem("Any column (phones choose)", "")
        for column in Column:
            self.column_combo.addItem(column.default_heading, column.value)
        self.column_combo.setAccessibleName("Column phones post to")
        self.column_combo.setToolTip("Fix the column every phone post goes to, or let phones choose")
        self.column_combo.currentIndexChanged.connect(self._on_column_combo_current_index_changed)
        form.addRow(_plain_label("Phones post to:", moderation), self.column_combo)
        self.reveal_button = QPushButton("&Reveal all (0 waiting)", moderation)
        self.reveal_button.setAccessibleName("Reveal all")
        self.reveal_button.clicked.connect(self.reveal_all)
        form.addRow(self.reveal_button)
        layout.addWidget(moderation)

        # --- queue
        queue_box = QGroupBox("Waiting for approval", self)
        queue_layout = QVBoxLayout(queue_box)
        self.queue = QueueList(self)
        self.queue.setAccessibleName("Post-its waiting for approval")
        self.queue.setAccessibleDescription("A approves, H hides, Delete deletes the selected")
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.queue.setWordWrap(True)
        self.queue.itemSelectionChanged.connect(self._update_buttons)
        queue_layout.addWidget(self.queue)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton("&Approve", queue_box)
        self.approve_button.clicked.connect(self.approve_selected)
        self.hide_button = QPushButton("Hi&de", queue_box)
        self.hide_button.clicked.connect(self.hide_selected)
        self.delete_button = QPushButton("De&lete", queue_box)
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.approve_button, self.hide_button, self.delete_button):
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addWidget(button)
        queue_layout.addLayout(buttons)
        layout.addWidget(queue_box, 2)

        # --- voting
        voting = QGroupBox("Dot voting", self)
        voting_layout = QFormLayout(voting)
        self.budget_spin = QSpinBox(voting)
        self.budget_spin.setRange(1, MAX_VOTE_BUDGET)
        self.budget_spin.setValue(DEFAULT_VOTE_BUDGET)
        self.budget_spin.setAccessibleName("Votes per phone")
        voting_layout.addRow(_plain_label("Votes per phone:", voting), self.budget_spin)
        vote_buttons = QHBoxLayout()
        self.open_voting_button = QPushButton("Open &voting", voting)
        self.open_voting_button.clicked.connect(self.open_voting)
        self.close_voting_button = QPushButton("&Close voting", voting)
        self.close_voting_button.clicked.connect(self.close_voting)
        for button in (self.open_voting_button, self.close_voting_button):
            button.setAccessibleName(button.text().replace("&", ""))
            vote_buttons.addWidget(button)
        voting_layout.addRow(vote_buttons)
        self.tallies_check = QCheckBox("Show &tallies on the board", voting)
        self.tallies_check.setAccessibleName("Show tallies")
        self.tallies_check.toggled.connect(self._on_tallies_check_toggled)
        voting_layout.addRow(self.tallies_check)
        self.voting_status = _plain_label("", voting)
        self.voting_status.setAccessibleName("Voting status")
        voting_layout.addRow(self.voting_status)
        layout.addWidget(voting)

        # --- log
        log_box = QGroupBox("Moderation log", self)
        log_layout = QVBoxLayout(log_box)
        self.log_list = QListWidget(log_box)
        self.log_list.setAccessibleName("Moderation log")
        log_layout.addWidget(self.log_list)
        layout.addWidget(log_box, 1)

        bridge.changed.connect(self._on_bridge_changed)
        self.refresh()

    # ----------------------------------------------------------------- state

    def set_workshop(self, workshop_id: int | None) -> None:
        self.workshop_id = workshop_id
        self.refresh()

    def refresh(self) -> None:
        self._syncing = True
        try:
            self._refresh()
        except StoreError as error:
            self._show_error(str(error))
        finally:
            self._syncing = False
        self._update_buttons()

    def _refresh(self) -> None:
        wid = self.workshop_id
        self.setEnabled(wid is not None)
        if wid is None:
            self.settings = None
            self.queue.clear()
            self.log_list.clear()
            return
        settings = self.settings = self.store.join_settings(wid)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(settings.moderation.value))
        self.hold_check.setChecked(settings.hold_until_reveal)
        workshop = self.store.get_workshop(wid)
        for index in range(1, self.column_combo.count()):
            self.column_combo.setItemText(
                index, workshop.heading(Column(self.column_combo.itemData(index))))
        fixed = settings.fixed_column.value if settings.fixed_column else ""
        self.column_combo.setCurrentIndex(self.column_combo.findData(fixed))
        self.tallies_check.setChecked(settings.tallies_shown)
        held = self.store.status_counts(wid)[Status.HELD]
        self.reveal_button.setText(f"&Reveal all ({held} waiting)")
        self.reveal_button.setEnabled(held > 0)
        self.voting_status.setText(
            f"Voting is open: {settings.vote_budget} votes per phone." if settings.voting_open
            else "Voting is closed.")
        self._refresh_queue([p for p in self.store.list_postits(wid)
                             if p.status == Status.PENDING])
        self._refresh_log()

    def _refresh_queue(self, pending: list[PostIt]) -> None:
        selected = set(self.selected_ids())
        pending.sort(key=lambda p: (p.created_at, p.id))
        self.queue.clear()
        for postit in pending:
            who = f" - {postit.author}" if postit.author else ""
            item = QListWidgetItem(f"{postit.text}{who}  [{postit.column.value}]")
            item.setData(_ID_ROLE, postit.id)
            item.setToolTip(plain_tooltip(postit.text))
            self.queue.addItem(item)
            if postit.id in selected:
                item.setSelected(True)
        if self.queue.count() and self.queue.currentRow() < 0:
            self.queue.setCurrentRow(0, self.queue.selectionModel().SelectionFlag.NoUpdate)

    def _refresh_log(self) -> None:
        assert self.workshop_id is not None
        entries = self.store.moderation_log(self.workshop_id)[-LOG_LIMIT:]
        self.log_list.clear()
        for entry in reversed(entries):
            when = entry.at.replace("T", " ")[:19]
            target = f" post-it {entry.postit_id}" if entry.postit_id else ""
            detail = f" ({entry.detail})" if entry.detail else ""
            self.log_list.addItem(f"{when}  {entry.action}{target}{detail}")

    def _update_buttons(self) -> None:
        has = bool(self.selected_ids())
        for button in (self.approve_button, self.hide_button, self.delete_button):
            button.setEnabled(has)
        voting_open = bool(self.settings and self.settings.voting_open)
        self.open_voting_button.setEnabled(self.workshop_id is not None and not voting_open)
        self.close_voting_button.setEnabled(voting_open)

    def selected_ids(self) -> list[int]:
        return [int(item.data(_ID_ROLE)) for item in self.queue.selectedItems()]

    def queued_ids(self) -> list[int]:
        return [int(self.queue.item(i).data(_ID_ROLE)) for i in range(self.queue.count())]

    # ----------------------------------------------------------------- actions

    def approve_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(SetStatusCommand(self.store, ids, Status.VISIBLE,
                                                  f"Approve {len(ids)} post-it(s)",
                                                  on_error=self._on_command_error))

    def hide_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(SetStatusCommand(self.store, ids, Status.HIDDEN,
                                                  f"Hide {len(ids)} post-it(s)",
                                                  on_error=self._on_command_error))

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(DeletePostItsCommand(self.store, ids,
                                                      on_error=self._on_command_error))

    def reveal_all(self) -> None:
        if self.workshop_id is not None:
            self._run(lambda wid: self.store.reveal_held(wid))

    def open_voting(self) -> None:
        self._run(lambda wid: self.store.open_voting(wid, budget=self.budget_spin.value()))

    def close_voting(self) -> None:
        self._run(self.store.close_voting)

    def set_tallies_shown(self, shown: bool) -> None:
        self._run(lambda wid: self.store.update_join_settings(wid, tallies_shown=shown))

    def _run(self, verb: Callable[[int], object]) -> None:
        """Run a store verb on the open workshop; a refusal is shown and nothing changes."""
        if self.workshop_id is None:
            return
        try:
            verb(self.workshop_id)
        except StoreError as error:
            self._show_error(str(error))
            self.refresh()

    # ----------------------------------------------------------------- slots

    def _on_mode_combo_current_index_changed(self, _index: int) -> None:
        if not self._syncing:
            mode = self.mode_combo.currentData()
            self._run(lambda wid: self.store.update_join_settings(wid, moderation=mode))

    def _on_column_combo_current_index_changed(self, _index: int) -> None:
        if not self._syncing:
            fixed = self.column_combo.currentData() or None
            self._run(lambda wid: self.store.update_join_settings(wid, fixed_column=fixed))

    def _on_hold_check_toggled(self, on: bool) -> None:
        if not self._syncing:
            self._run(lambda wid: self.store.update_join_settings(wid, hold_until_reveal=on))

    def _on_tallies_check_toggled(self, on: bool) -> None:
        if not self._syncing:
            self.set_tallies_shown(on)

    def _on_bridge_changed(self, change: Change) -> None:
        if self.workshop_id is None or change.workshop_id != self.workshop_id:
            return
        if change.kind in (ChangeKind.POSTITS, ChangeKind.JOINING):
            self.refresh()

    def _on_command_error(self, error: StoreError) -> None:
        self._show_error(str(error))

    def _show_error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Nothing was changed", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()
