"""Step 1, "Who needs to be in the room?": the stakeholder map's guidance, presets and rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from workshopkit.exercises import step_texts
from workshopkit.model import (
    DEFAULT_RING_NAMES,
    RING_COUNT,
    InviteStatus,
    Organisation,
    Part,
    Stakeholder,
    StakeholderMap,
)

GUIDANCE = step_texts.STAKEHOLDER_MAP

ROLE_TAGS: tuple[str, ...] = ("broker", "enabler", "connector", "supporter")

# A list of facts from the toolkit (Gifford et al. 2025): roles and teams named in its workshops.
UNIVERSITY_ROLES: tuple[str, ...] = (
    "Public Engagement Managers, Coordinators, Officers, teams",
    "Civic Engagement Managers, Coordinators, Officers, teams",
    "Community Engagement Managers, Coordinators, Officers, teams",
    "Patient and Public Involvement and Engagement (PPIE) leads",
    "Knowledge Exchange",
    "Place-based teams",
    "Business Development",
    "Research engagement and impact",
    "Research Management office",
    "Strategic Partnerships roles",
    "Faculty, School or Department-based support staff",
    "Innovation teams",
    "Individual researchers and academics",
    "Students' Union staff members and elected representatives",
    "Careers service",
    "Events teams",
    "Public affairs functions",
    "Communications teams",
    "Widening Participation roles",
    "Alumni and Development",
    "Arts, culture and museum teams",
    "Archivists and libraries",
    "Estates and facilities",
    "Finance and procurement",
    "Senior Leadership",
)

# The toolkit lists kinds of civic partner (Gifford et al. 2025).
CIVIC_PARTNER_TYPES: tuple[str, ...] = (
    "Local authorities",
    "NHS Trusts",
    "Further Education colleges",
    "Schools",
    "Charities",
    "Community and Voluntary organisations",
    "Arts, cultural and heritage organisations",
    "Councils for Voluntary Service",
    "Faith groups and organisations",
    "Police services",
    "Small and Medium-sized Enterprises (SMEs)",
    "Industry",
    "Regeneration agencies",
    "Innovation and growth networks",
)

# Civic-side roles: the toolkit gives no list, so these are roles named across its companion
# reports (chief executives, trustees, frontline staff, volunteers and so on).
CIVIC_ROLES: tuple[str, ...] = (
    "Chief executive or director",
    "Trustees or board",
    "Managers",
    "Frontline and project staff",
    "Link workers",
    "Communications team",
    "Services team",
    "Policy coordinator",
    "Development coordinator",
    "Volunteers",
    "Service users and community members",
    "Gatekeepers",
    "Councillors and elected members",
    "Strategic oversight group",
    "Advisory board or reference group",
)

# Other university roles the companion reports name as part of partnership work.
MORE_UNIVERSITY_ROLES: tuple[str, ...] = (
    "Legal team",
    "Ethics committee",
    "Human resources",
    "Heads of department and deans",
    "PhD students",
    "Community helpdesk or named broker",
    "Students' Union volunteering team",
)


@dataclass(frozen=True)
class PresetGroup:
    title: str
    roles: tuple[str, ...]


PRESET_GROUPS: tuple[PresetGroup, ...] = (
    PresetGroup("University roles and teams", UNIVERSITY_ROLES + MORE_UNIVERSITY_ROLES),
    PresetGroup("Civic and community roles", CIVIC_ROLES),
)


def is_preset(label: str) -> bool:
    folded = label.casefold().strip()
    return any(folded == role.casefold() for group in PRESET_GROUPS for role in group.roles)


# --------------------------------------------------------------------------- the map's rules
#
# The map is an ellipse centred on (0, 0), y pointing down as on screen. Rings run from the
# centre out (0: must be in the room, 1: involve, 2: keep informed). Each organisation owns an
# equal slice of angle; with two, the first takes the left half and the second the right.
# A card is stored as (area, ring, across, depth) and its point is worked out here, so the map
# can grow with its cards, or gain an organisation, and every card keeps its area and ring.

CARD_WIDTH = 250.0
CARD_HEIGHT = 108.0
LABEL_FONT_SIZE = 28.0  # scene units; the canvas and the exports draw labels at this size
DETAIL_FONT_SIZE = 20.0
RING_EDGES: tuple[float, float, float] = (0.5, 0.78, 1.0)  # outer edge of each ring, of the radius
ASPECT = 1.8  # width to height of the ellipse, close to a projector's 16:9
FILL_SMALL, FILL_FULL = 0.25, 0.40  # share of the ellipse cards cover: roomy when few, denser at 40+
MIN_CARDS_FOR_SIZE = 24
FIRST_AREA_START = 90.0  # degrees, clockwise from 3 o'clock: areas start at 6 o'clock
_CENTRE_HOLE = 0.16  # cards in the centre ring keep this far (of the radius) from the very middle
_EDGE_GAP = 12.0  # scene units between a card and the line between two areas


@dataclass(frozen=True)
class MapGeometry:
    rx: float
    ry: float
    areas: int

    def area_span(self, area: int) -> tuple[float, float]:
        """The start and end angle (degrees, clockwise from 3 o'clock) of an area."""
        width = 360.0 / self.areas
        start = FIRST_AREA_START + area * width
        return start, start + width

    def area_mid_angle(self, area: int) -> float:
        start, end = self.area_span(area)
        return (start + end) / 2

    def area_label_angle(self, area: int) -> float:
        """Where on the ellipse's edge an area's name hangs: within the middle half of its
        slice, as near the top or the bottom of the map as it can be (screen and exports)."""
        start, end = self.area_span(area)
        if self.areas > 1:
            quarter = (end - start) / 4
            start, end = start + quarter, end - quarter
        mid = (start + end) / 2

        def nearest(target: float) -> float:
            best = min((target + 360 * k for k in range(-1, 3)), key=lambda t: abs(t - mid))
            return min(end, max(start, best))

        top, bottom = nearest(270.0), nearest(90.0)
        return top if abs(top - mid) <= abs(bottom - mid) else bottom

    def ring_band(self, ring: int) -> tuple[float, float]:
        """Inner and outer edge of a ring as fractions of the radius."""
        inner = 0.0 if ring == 0 else RING_EDGES[ring - 1]
        return inner, RING_EDGES[ring]

    def _radius(self, ring: int, depth: float) -> float:
        inner, outer = self.ring_band(ring)
        if ring == 0:
            inner = _CENTRE_HOLE
        pad = (outer - inner) * 0.12
        return inner + pad + depth * (outer - inner - 2 * pad)

    def _depth(self, ring: int, radius: float) -> float:
        inner, outer = self.ring_band(ring)
        if ring == 0:
            inner = _CENTRE_HOLE
        pad = (outer - inner) * 0.12
        return (radius - inner - pad) / (outer - inner - 2 * pad)

    def _edge_margin(self, boundary: float, radius: float) -> float:
        """Degrees a card at this radius keeps from an area's edge so it does not cross it.

        The edge is a ray from the centre; the card's half-size across that ray, over the
        point's distance from the centre measured across the (elliptical) map, gives the angle.
        """
        beta = math.radians(boundary)
        along = math.hypot(self.rx * math.cos(beta), self.ry * math.sin(beta))
        reach = self.rx * self.ry * radius / along  # distance per radian of angle near the edge
        normal_x = self.ry * math.sin(beta) / along
        normal_y = self.rx * math.cos(beta) / along
        half = abs(normal_x) * CARD_WIDTH / 2 + abs(normal_y) * CARD_HEIGHT / 2 + _EDGE_GAP
        if reach <= half:
            return 90.0
        return math.degrees(math.asin(half / reach))

    def _angles(self, area: int, radius: float) -> tuple[float, float]:
        """The first and last angle a card's centre may take in an area at this radius."""
        start, end = self.area_span(area)
        if self.areas == 1:
            return start, end
        first = start + self._edge_margin(start, radius)
        last = end - self._edge_margin(end, radius)
        if first > last:
            middle = (start + end) / 2
            return middle, middle
        return first, last

    def point(self, area: int, ring: int, across: float, depth: float) -> tuple[float, float]:
        """The centre of a card placed at (area, ring, across, depth), clear of its area's edges."""
        radius = self._radius(ring, _clamp(depth))
        first, last = self._angles(area, radius)
        theta = math.radians(first + _clamp(across) * (last - first))
        return self.rx * radius * math.cos(theta), self.ry * radius * math.sin(theta)

    def locate(self, x: float, y: float) -> tuple[int, int, float, float]:
        """Where a point falls: (area, ring, across, depth). Points outside go to the outer ring."""
        u, v = x / self.rx, y / self.ry
        radius = math.hypot(u, v)
        angle = math.degrees(math.atan2(v, u)) if radius > 0 else FIRST_AREA_START
        rel = (angle - FIRST_AREA_START) % 360.0
        width = 360.0 / self.areas
        area = min(int(rel // width), self.areas - 1)
        ring = next((i for i, edge in enumerate(RING_EDGES) if radius <= edge), RING_COUNT - 1)
        depth = _clamp(self._depth(ring, radius))
        first, last = self._angles(area, self._radius(ring, depth))
        angle = FIRST_AREA_START + rel
        across = 0.5 if last == first else (angle - first) / (last - first)
        return area, ring, _clamp(across), depth

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, width, height) of the ellipse plus room for cards on its edge."""
        margin_x = CARD_WIDTH * 0.55
        margin_y = CARD_HEIGHT * 0.5 + LABEL_FONT_SIZE * 2
        return (-self.rx - margin_x, -self.ry - margin_y,
                2 * (self.rx + margin_x), 2 * (self.ry + margin_y))


def _clamp(value: float) -> float:
    if math.isnan(value):
        return 0.5
    return min(1.0, max(0.0, value))


def map_geometry(areas: int, cards: int) -> MapGeometry:
    """Size the map for its cards: roomy with a few, denser but still legible when projected."""
    count = max(cards, MIN_CARDS_FOR_SIZE)
    fill = FILL_SMALL + (FILL_FULL - FILL_SMALL) * min(1.0, (count - MIN_CARDS_FOR_SIZE) / 16)
    area_needed = count * CARD_WIDTH * CARD_HEIGHT / fill
    ry = math.sqrt(area_needed / (math.pi * ASPECT))
    return MapGeometry(rx=ry * ASPECT, ry=ry, areas=max(1, areas))


def map_areas(organisations: Sequence[Organisation],
              stakeholders: Sequence[Stakeholder] = ()) -> list[Organisation | None]:
    """The map's areas in order: one per organisation, plus an unassigned area when needed."""
    ordered = sorted(organisations, key=lambda o: (o.position, o.id))
    areas: list[Organisation | None] = list(ordered)
    known = {o.id for o in organisations}
    if not areas or any(s.organisation_id not in known for s in stakeholders):
        areas.append(None)
    return areas


UNASSIGNED_AREA = "Not yet placed"


def area_name(area: Organisation | None) -> str:
    return area.name if area is not None else UNASSIGNED_AREA


def area_index(areas: Sequence[Organisation | None], organisation_id: int | None) -> int:
    for index, area in enumerate(areas):
        if (area.id if area is not None else None) == organisation_id:
            return index
    return len(areas) - 1


def free_spot(taken: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The (across, depth) in a ring's slice furthest from the cards already there."""
    candidates = [(a / 6, d / 2) for d in range(3) for a in range(1, 6)]
    if not taken:
        return 0.5, 0.5
    return max(candidates, key=lambda c: min(
        (c[0] - t[0]) ** 2 + ((c[1] - t[1]) * 0.5) ** 2 for t in taken))


@dataclass(frozen=True)
class InviteEntry:
    stakeholder: Stakeholder
    organisation: str


@dataclass(frozen=True)
class InviteRing:
    ring: int
    name: str
    entries: tuple[InviteEntry, ...]

    def count(self, status: InviteStatus) -> int:
        return sum(1 for e in self.entries if e.stakeholder.status is status)


def invite_list(stakeholder_map: StakeholderMap) -> list[InviteRing]:
    """Who to invite, ring by ring from the centre out, then by organisation and label.

    The principles PDF lists these as the people to share and review the principles with.
    """
    areas = map_areas(stakeholder_map.organisations, stakeholder_map.stakeholders)
    order = {(a.id if a is not None else None): i for i, a in enumerate(areas)}
    names = {(a.id if a is not None else None): area_name(a) for a in areas}
    rings = []
    for ring in range(RING_COUNT):
        cards = sorted(
            (s for s in stakeholder_map.stakeholders if s.ring == ring),
            key=lambda s: (order.get(s.organisation_id, len(areas)), s.label.casefold(), s.id),
        )
        rings.append(InviteRing(
            ring=ring,
            name=stakeholder_map.ring_names[ring] or DEFAULT_RING_NAMES[ring],
            entries=tuple(InviteEntry(s, names.get(s.organisation_id, UNASSIGNED_AREA))
                          for s in cards),
        ))
    return rings


def card_summary(stakeholder: Stakeholder) -> str:
    """The second line of a card: who, and the part they play."""
    bits = [stakeholder.person] if stakeholder.person else []
    if stakeholder.part is not Part.OTHER:
        bits.append(stakeholder.part.label)
    elif stakeholder.part_note:
        bits.append(stakeholder.part_note)
    return " · ".join(bits)
