"""The 18 themes of equitable partnership and the classifier that sorts notes into them.

The lexicon (``assets/theme_lexicon.toml``) is data a facilitator can read and extend. A note
is matched against every theme's cues, forgiving capitals, plurals, -ing/-ed endings and a
slip of a letter, and gets the themes it matched, best first, with the cues that did it.
A note that matches nothing (``"Biscuits!!"``) stays unclassified: it is never forced in.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

STRONG_WEIGHT = 3.0
CUE_WEIGHT = 1.0
MIN_SCORE = 1.0  # below this a note is unclassified
SECOND_THEME_SHARE = 0.5  # another theme is listed if it scores at least this share of the best

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Theme:
    id: str
    number: int  # the toolkit's example order, from 1
    title: str
    template: str
    cues: tuple[str, ...]
    strong: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    text: str
    themes: tuple[str, ...]  # best first; empty when unclassified
    cues: tuple[str, ...]  # the cues that matched, for the best theme first
    scores: dict[str, float]

    @property
    def theme(self) -> str | None:
        return self.themes[0] if self.themes else None


def lexicon_path() -> Path:
    from workshopkit.paths import assets_dir

    return assets_dir() / "theme_lexicon.toml"


@functools.cache
def load_themes(path: Path | None = None) -> tuple[Theme, ...]:
    """The themes in the toolkit's order, read from the lexicon file."""
    with (path or lexicon_path()).open("rb") as handle:
        data = tomllib.load(handle)
    themes = []
    for number, (theme_id, table) in enumerate(data.items(), start=1):
        themes.append(Theme(
            id=theme_id, number=number, title=str(table["title"]),
            template=str(table["template"]),
            cues=tuple(str(c) for c in table.get("cues", ())),
            strong=tuple(str(c) for c in table.get("strong", ())),
        ))
    return tuple(themes)


def theme_by_id(theme_id: str, themes: Sequence[Theme] | None = None) -> Theme:
    for theme in themes or load_themes():
        if theme.id == theme_id:
            return theme
    raise KeyError(theme_id)


# --------------------------------------------------------------------------- text


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
            .replace("-", " ").replace("\u2013", " ").replace("\u2014", " ").replace("/", " "))


def stem(word: str) -> str:
    """A light English stem: plurals, -ing, -ed and a final e go, so "update", "updated",
    "updates" and "updating" all become "updat"."""
    word = word.removesuffix("'s")
    word = word.rstrip("'")
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if (len(word) >= 5 and word.endswith("es") and word[-3] in "sxz") or word.endswith(
            ("ches", "shes")):
        word = word[:-2]
    elif len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) >= 6 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) >= 5 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(_fold(text))]


def _close(a: str, b: str) -> bool:
    """Equal, or one slip apart (a letter wrong, missing, extra or swapped) in a long word."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 6 or abs(len(a) - len(b)) > 2:
        return False
    limit = 2 if shortest >= 9 else 1
    return _distance(a, b, limit) <= limit


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), stopping early past ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class _Cue:
    theme: str
    text: str
    parts: tuple[str, ...]
    weight: float


@dataclass(frozen=True, eq=False)  # hashed by identity: one index per set of themes
class _Index:
    cues: tuple[_Cue, ...]
    by_first: dict[str, tuple[_Cue, ...]]  # cues by their first word
    vocabulary: frozenset[str]
    by_length: dict[int, tuple[str, ...]]  # cue words by length, for forgiving matches


@functools.cache
def _compiled(themes: tuple[Theme, ...]) -> _Index:
    cues = []
    for theme in themes:
        for text, base in [(c, STRONG_WEIGHT) for c in theme.strong] + [
                (c, CUE_WEIGHT) for c in theme.cues]:
            parts = tuple(tokens(text))
            if parts:
                cues.append(_Cue(theme.id, text, parts, base * (1 + 0.5 * (len(parts) - 1))))
    by_first: dict[str, list[_Cue]] = {}
    for cue in cues:
        by_first.setdefault(cue.parts[0], []).append(cue)
    vocabulary = frozenset(part for cue in cues for part in cue.parts)
    by_length: dict[int, list[str]] = {}
    for word in vocabulary:
        by_length.setdefault(len(word), []).append(word)
    return _Index(tuple(cues), {k: tuple(v) for k, v in by_first.items()}, vocabulary,
                  {k: tuple(v) for k, v in by_length.items()})


@functools.lru_cache(maxsize=65536)
def _matching_words(word: str, index: _Index) -> frozenset[str]:
    """The cue words that ``word`` stands for: itself, or a close misspelling of one."""
    found = {word} if word in index.vocabulary else set()
    if len(word) >= 6:
        for length in range(len(word) - 2, len(word) + 3):
            for candidate in index.by_length.get(length, ()):
                if candidate != word and _close(candidate, word):
                    found.add(candidate)
    return frozenset(found)


def classify(text: str, themes: Sequence[Theme] | None = None) -> Classification:
    """The themes a note is about, best first, with the cues that matched."""
    chosen = tuple(themes) if themes is not None else load_themes()
    index = _compiled(chosen)
    words = tokens(text)
    standing = [_matching_words(w, index) for w in words]
    matches: dict[str, list[tuple[int, int, _Cue]]] = {}
    seen: set[int] = set()
    for start, first in enumerate(standing):
        for word in first:
            for cue in index.by_first.get(word, ()):
                if id(cue) in seen:
                    continue
                end = start + len(cue.parts)
                if end <= len(words) and all(
                        part in standing[start + k] for k, part in enumerate(cue.parts)):
                    seen.add(id(cue))
                    matches.setdefault(cue.theme, []).append((start, end, cue))
    scores: dict[str, float] = {}
    cues_by_theme: dict[str, list[str]] = {}
    for theme_id, found in matches.items():
        kept: list[tuple[int, int, _Cue]] = []
        # Longer cues first; a cue inside one already counted adds nothing more.
        for start, end, cue in sorted(found, key=lambda m: (-(m[1] - m[0]), -m[2].weight)):
            if any(s <= start and end <= e for s, e, _ in kept):
                continue
            kept.append((start, end, cue))
        scores[theme_id] = sum(cue.weight for _, _, cue in kept)
        cues_by_theme[theme_id] = [cue.text for _, _, cue in sorted(kept)]
    order = {theme.id: theme.number for theme in chosen}
    ranked = sorted(scores, key=lambda t: (-scores[t], order[t]))
    best = scores[ranked[0]] if ranked else 0.0
    if best < MIN_SCORE:
        return Classification(text, (), (), scores)
    picked = tuple(t for t in ranked if scores[t] >= max(MIN_SCORE, best * SECOND_THEME_SHARE))
    cues = tuple(cue for t in picked for cue in cues_by_theme[t])
    return Classification(text, picked, cues, scores)


def classify_all(texts: Iterable[str]) -> list[Classification]:
    themes = load_themes()
    return [classify(text, themes) for text in texts]
