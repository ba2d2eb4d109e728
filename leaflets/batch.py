"""Build every leaflet a clinic offers, in parallel, and the site patients download them from.

One unit of work is one leaflet variant (handout x profiles x language): it is
resolved once and written as a PDF per paper size plus an HTML page. A unit
whose inputs (content, wording, brand, fonts, templates, code) are unchanged
since the last run is skipped. Files are written atomically, the manifest is
saved as work completes, and a lock keeps two batches out of one folder, so a
batch killed halfway leaves no partial file and the next run finishes the rest.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from reportlab.pdfbase import pdfmetrics

from . import __version__, online
from .brand import ClinicBrand
from .content import STRINGS_DIR, Library, LoadedHandout, clinic_strings
from .budget import OverBudget, check_pages
from .errors import LeafletError, OutputError, Where
from .output import write_atomically
from .paths import FONTS_DIR, PACKAGE_DIR, data_dir
from .pipeline import LeafletRequest, open_brand, open_library, resolve_request
from .fonts import drawn, font_file_of, fonts_for, leaflet_fonts
from .render.html import direction, site_assets, warm_templates, language_name, render_html, render_index, render_languages
from .render.outline import outline_width
from .render.pdf import PAPER_SIZES, PrintOptions, render_pdf
from .resolve import look_of
from .substitute import fill

MANIFEST = "manifest.json"
LOCK = ".batch.lock"


VARIANTS = {"standard": PrintOptions(), "large-print": PrintOptions(large_print=True),
            "high-contrast": PrintOptions(high_contrast=True)}


def print_key(paper: str, variant: str) -> str:
    """'a4', 'a4-large', 'letter-contrast': one PDF of a unit."""
    return paper + VARIANTS[variant].suffix


def parse_print(key: str) -> tuple[str, str]:
    """(paper, variant) of a print key."""
    for variant, options in VARIANTS.items():
        if options.suffix and key.endswith(options.suffix):
            return key[: -len(options.suffix)], variant
    return key, "standard"


@dataclass(frozen=True)
class Unit:
    """One leaflet variant: built as one PDF per paper size and print variant, and one HTML page."""

    handout: str
    profiles: tuple[str, ...]
    language: str
    papers: tuple[str, ...]   # print keys: paper size plus print variant, e.g. 'a4', 'a4-large'

    @property
    def stem(self) -> str:
        return online.stem(self.handout, self.profiles, self.language)

    def pdf_path(self, paper: str) -> str:
        return online.pdf_path(self.handout, self.profiles, self.language, paper)

    @property
    def html_path(self) -> str:
        return online.html_path(self.handout, self.profiles, self.language)


@dataclass
class Summary:
    built: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # leaflets over their page budget, built as asked
    seconds: float = 0.0


def plan(library: Library, handouts: list[str], profiles: list[str], languages: list[str],
         papers: list[str], variants: list[str] | None = None) -> tuple[list[Unit], dict[str, LoadedHandout]]:
    """The matrix to build; every choice is checked up front against what exists."""
    papers = papers or list(PAPER_SIZES)
    for paper in papers:
        if paper not in PAPER_SIZES:
            raise LeafletError(f"unknown paper size '{paper}'", hint=f"use one of: {', '.join(PAPER_SIZES)}")
    for variant in variants or []:
        if variant not in VARIANTS:
            raise LeafletError(f"unknown print variant '{variant}'", hint=f"use one of: {', '.join(VARIANTS)}")
    papers = [print_key(paper, variant) for paper in papers for variant in (variants or ["standard"])]
    loaded = {handout_id: library.load(handout_id) for handout_id in (handouts or library.handout_ids())}
    units = []
    for handout_id, handout in loaded.items():
        known = [p.id for p in handout.profiles.profiles]
        # 'femoral+flyer' asks for one leaflet combining both profiles
        chosen = [tuple(spec.split("+")) for spec in profiles] if profiles else [(p,) for p in known]
        for combination in chosen:
            for profile_id in combination:
                handout.profile(profile_id)
        for language in [handout.language_code(code) for code in languages] or handout.languages:
            if language not in handout.languages:
                raise LeafletError(f"handout '{handout_id}' has no '{language}' version",
                                   hint=f"languages of this handout: {', '.join(handout.languages)}")
            units += [Unit(handout_id, tuple(sorted(c, key=known.index)), language, tuple(papers)) for c in chosen]
    return units, loaded


def fingerprint_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_fingerprints(loaded: dict[str, LoadedHandout], clinic: ClinicBrand,
                       allow_overdue: bool = False, fallback_english: bool = False,
                       allow_over_budget: bool = False) -> dict[str, str]:
    """What every leaflet of a handout depends on, hashed once per batch.

    Includes whether the handout is past its review date today, so leaflets
    gain their "review overdue" notice on the first batch after that date.
    """
    today = dt.date.today()
    shared = fingerprint_files([
        *PACKAGE_DIR.rglob("*.py"), *FONTS_DIR.glob("*.ttf"), *(data_dir("templates")).rglob("*.*"),
        clinic.file, *([clinic.logo] if clinic.logo else []),
        *sorted((clinic.file.parent / STRINGS_DIR).glob("*.yaml")),   # the clinic's own wording
        *sorted(p for folder in {h.folder.parent for h in loaded.values()} for p in (folder / STRINGS_DIR).glob("*.yaml")),
    ])
    return {handout_id: hashlib.sha256(
        f"{__version__}\0{shared}\0{fingerprint_files(p for p in handout.folder.rglob('*') if p.is_file())}"
        f"\0overdue={not allow_overdue and today > handout.handout.review_by}\0fallback={fallback_english}"
        f"\0over-budget={allow_over_budget}"
        .encode()).hexdigest() for handout_id, handout in loaded.items()}


# --- work done in each worker process -------------------------------------------------------

_worker: dict[str, Any] = {}


def _prepare(library: Library, clinic: ClinicBrand, loaded: dict[str, LoadedHandout], allow_overdue: bool,
             fallback_english: bool, allow_over_budget: bool = False, languages: Iterable[str] = (),
             shared: Iterable[str] = ()) -> None:
    """Load and warm up once in the parent: forked workers inherit all of it for free.

    languages: their translations and wording (this process reads them again for the manifest).
    shared: languages that several workers will build; their fonts and DRAFT mark are read here too
    (Chinese alone: 28,000 glyphs, 0.4 s). Any other language's fonts are read by the one worker that
    builds it (see Schedule), at the same time as the other worker reads another's, instead of here
    while every worker waits.
    """
    _worker.update(library=library, brand=clinic, handouts=dict(loaded), allow_overdue=allow_overdue,
                   fallback_english=fallback_english, allow_over_budget=allow_over_budget)
    leaflet_fonts()
    shared = set(shared)
    for language in languages:
        for handout in loaded.values():
            _warm_language(handout, clinic, language, fallback_english, fonts_too=language in shared)
    warm_templates()


def _warm_language(handout: LoadedHandout, clinic: ClinicBrand, language: str, fallback_english: bool,
                   fonts_too: bool = False) -> None:
    """What every leaflet of a handout in one language reads: the translation and the wording; with
    fonts_too, the fonts, HarfBuzz's copy of them and the DRAFT mark's glyph outlines (fontTools reads
    the whole glyph table: 0.25 s for Chinese)."""
    if language not in handout.languages:
        return
    try:
        version = handout.in_language(language, fallback_english)
        strings = clinic_strings(language, handout.folder.parent, clinic.file)
    except Exception:  # a warm-up never stops the batch: each unit of this language reports it when built
        return
    if not fonts_too:
        return
    fonts = fonts_for(language)
    if fonts.shaping:  # HarfBuzz's copy of the font, made on first use
        pdfmetrics.getFont(fonts.regular).hbFace
        pdfmetrics.getFont(fonts.bold).hbFace
    if version.handout.status != "draft":
        return  # no DRAFT mark (leaflets.resolve sets it for draft content only)
    # the face render/pdf/page.py's watermark chooses: the first of the language's families that draws it all
    text = strings.draft_mark
    face = next((f for f in (fonts.regular, *fonts.fallback) if drawn(f).issuperset(text)), None)
    if face is not None:
        outline_width(text, font_file_of(f"{face}-Bold"), 1)


def _start_worker(content: Path | None, brand: Path | None, allow_overdue: bool, fallback_english: bool,
                  allow_over_budget: bool = False) -> None:
    # Ctrl-C reaches every process of the terminal's group; it is the batch's to handle: it hands out no
    # more work and waits for the leaflets in hand. A worker waiting for its next leaflet would otherwise
    # die with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _worker:  # a spawned (not forked) worker starts empty
        library = open_library(content)
        _prepare(library, open_brand(brand), {}, allow_overdue, fallback_english, allow_over_budget)


def _build_unit(unit: Unit, out_dir: Path) -> list[dict[str, Any]]:
    """Write one variant's PDFs and HTML page; return their manifest entries."""
    handouts = _worker["handouts"]
    if unit.handout not in handouts:
        handouts[unit.handout] = _worker["library"].load(unit.handout)
    loaded, clinic = handouts[unit.handout], _worker["brand"]
    request = LeafletRequest(unit.handout, unit.profiles, unit.language, allow_overdue=_worker["allow_overdue"],
                             fallback_english=_worker["fallback_english"])
    leaflet = resolve_request(loaded, request, clinic)
    strings = clinic_strings(unit.language, loaded.folder.parent, clinic.file)
    entries = []
    for key in unit.papers:
        paper, variant = parse_print(key)
        pdf = render_pdf(leaflet, paper, VARIANTS[variant])
        try:
            check_pages(loaded, pdf.pages, VARIANTS[variant].large_print, unit.language)
        except OverBudget as exc:
            if not _worker["allow_over_budget"]:
                raise OverBudget(f"{paper}, {variant}: {exc.message}", exc.where, exc.hint) from None
            over = f"{paper}, {variant}: {exc.message}"
        else:
            over = ""
        write_atomically(out_dir / unit.pdf_path(key), pdf.data)
        entries.append({"paper": paper, "variant": variant, "pdf": unit.pdf_path(key), "pages": pdf.pages,
                        "bytes": len(pdf.data), "sha256": hashlib.sha256(pdf.data).hexdigest()})
        if over:
            entries[-1]["over_budget"] = over
    html = render_html(leaflet, strings, home="index.html", assets="../assets/").encode("utf-8")
    write_atomically(out_dir / unit.html_path, html)
    return entries


# --- the batch ------------------------------------------------------------------------------

# CPU per leaflet against a Latin-script one (benchmarks/batch_scaling.py's matrix, fonts warm): shaped
# and right-to-left scripts cost more, Urdu's Nastaliq most. Only the order of the work depends on it.
LANGUAGE_COST = {"ur": 5.2, "ar": 2.7, "hi": 2.3, "bn": 2.2, "zh": 1.7, "ko": 1.4}
LARGE_PRINT_COST = 1.6   # more pages of the same words


def unit_cost(unit: Unit) -> float:
    """Roughly how long a unit takes, in Latin-script leaflets."""
    language = LANGUAGE_COST.get(unit.language.split("-")[0].lower(), 1.0)
    return sum(language * (LARGE_PRINT_COST if VARIANTS[parse_print(key)[1]].large_print else 1.0)
               for key in unit.papers)


def costliest_first(units: list[Unit]) -> list[Unit]:
    """The costliest units first and the cheap ones last, so that the workers run out of work together
    instead of one finishing a long Urdu leaflet while the other waits (the order is otherwise kept)."""
    return sorted(units, key=unit_cost, reverse=True)


class Schedule:
    """Which unit a worker takes next.

    More of the language it has just built while there is any: the shaped words and broken lines it
    cached are that language's, and a second worker on the same language would shape them all again.
    Then the costliest language nobody has started, so that the long ones (Urdu, Arabic, Hindi) begin
    early; at the end, a share of the language with the most work left, so the workers finish together.
    """

    def __init__(self, units: list[Unit]):
        self.left: dict[str, list[Unit]] = {}
        for unit in costliest_first(units):
            self.left.setdefault(unit.language, []).append(unit)

    def next(self, after: str | None, busy: Iterable[str] = ()) -> Unit | None:
        """The unit for a worker that has just built a unit in language `after` (None: a new worker);
        busy: the languages other workers are building."""
        if self.left.get(after):
            language = after
        else:
            remaining = {lang: sum(map(unit_cost, units)) for lang, units in self.left.items() if units}
            if not remaining:
                return None
            fresh = {lang: cost for lang, cost in remaining.items() if lang not in set(busy)}
            choices = fresh or remaining
            language = max(choices, key=choices.get)
        return self.left[language].pop(0)


def run_batch(out_dir: Path, *, content: Path | None = None, brand: Path | None = None,
              handouts: list[str] | None = None, profiles: list[str] | None = None,
              languages: list[str] | None = None, papers: list[str] | None = None,
              jobs: int | None = None, force: bool = False, allow_overdue: bool = False,
              fallback_english: bool = False, variants: list[str] | None = None, progress=None,
              allow_over_budget: bool = False) -> Summary:
    started = time.perf_counter()
    library, clinic = open_library(content), open_brand(brand)
    units, loaded = plan(library, handouts or [], profiles or [], languages or [], papers or [], variants)
    fingerprints = input_fingerprints(loaded, clinic, allow_overdue, fallback_english, allow_over_budget)
    out_dir = Path(out_dir)
    summary = Summary()
    with _exclusive(out_dir):
        _remove_leftovers(out_dir)
        manifest = _Manifest(out_dir, clinic)
        todo = [u for u in units if force or not manifest.up_to_date(u, fingerprints[u.handout])]
        summary.skipped = sum(len(u.papers) for u in units) - sum(len(u.papers) for u in todo)
        progress = progress or Progress(sum(len(u.papers) for u in units))
        progress.advance(summary.skipped, "skipped (unchanged)")

        def record(unit: Unit, result: list[dict[str, Any]] | BaseException) -> None:
            if isinstance(result, LeafletError):
                summary.failed.append((unit.stem, str(result)))
                progress.advance(len(unit.papers), f"FAILED {unit.stem}: {result}")
            elif isinstance(result, BaseException):
                summary.failed.append((unit.stem, f"internal error ({type(result).__name__})"))
                progress.advance(len(unit.papers), f"FAILED {unit.stem}: internal error ({type(result).__name__})")
            else:
                version = loaded[unit.handout].in_language(unit.language, fallback_english)
                manifest.record(unit, version, fingerprints[unit.handout], result)
                summary.built += len(result)
                summary.warnings += [f"{unit.stem}: {e['over_budget']}" for e in result if e.get("over_budget")]
                progress.advance(len(result), f"built {unit.stem}")

        try:
            workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
            languages = sorted({unit.language for unit in todo}) if workers > 1 else []
            _prepare(library, clinic, loaded, allow_overdue, fallback_english, allow_over_budget, languages,
                     shared=languages if len(languages) < workers else ())
            if workers == 1:
                for unit in todo:
                    try:
                        record(unit, _build_unit(unit, out_dir))
                    except Exception as exc:  # one bad leaflet must not stop the others
                        record(unit, exc)
            else:
                context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                                      else None)
                # Everything loaded so far lives as long as the batch: frozen, the workers' garbage
                # collections skip it, so they neither spend time on it nor write to (and so copy)
                # the memory pages they share with this process.
                gc.collect()
                gc.freeze()
                try:
                    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                             initargs=(content, brand, allow_overdue, fallback_english,
                                                       allow_over_budget)) as pool:
                        # One unit per worker at a time: the next is handed out when one finishes,
                        # and so goes to the worker that has just become free (see Schedule).
                        schedule = Schedule(todo)
                        pending: dict[Future, Unit] = {}
                        for _ in range(workers):
                            unit = schedule.next(None, [u.language for u in pending.values()])
                            if unit:
                                pending[pool.submit(_build_unit, unit, out_dir)] = unit
                        try:
                            while pending:
                                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                                for future in done:
                                    unit = pending.pop(future)
                                    following = schedule.next(unit.language, [u.language for u in pending.values()])
                                    if following:  # before recording, so the worker is not kept waiting
                                        pending[pool.submit(_build_unit, following, out_dir)] = following
                                    record(unit, future.exception() or future.result())
                        except BaseException:
                            pool.shutdown(wait=True, cancel_futures=True)
                            raise
                finally:
                    gc.unfreeze()
        finally:
            manifest.keep_only(units)
            manifest.save()
            progress.close()
        _write_site(out_dir, manifest, clinic, library.folder)
    summary.seconds = time.perf_counter() - started
    return summary


class _exclusive:
    """Hold a lock file so two batches never write into one folder at once."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir

    def __enter__(self):
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.out_dir / LOCK, "w")
        except OSError as exc:
            raise OutputError(f"cannot write here: {exc.strerror}", Where(self.out_dir),
                              "choose another folder with -o DIR") from None
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise OutputError("another batch is writing to this folder", Where(self.out_dir),
                              "wait for it to finish, or choose another folder with -o DIR") from None
        return self

    def __exit__(self, *exc_info):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a batch that was killed: never complete, safe to delete under the lock."""
    for leftover in out_dir.rglob(".*.part"):
        leftover.unlink(missing_ok=True)


class _Manifest:
    """manifest.json: every leaflet with its inputs and checksum, saved as work completes."""

    def __init__(self, out_dir: Path, clinic: ClinicBrand):
        self.path = out_dir / MANIFEST
        self.out_dir = out_dir
        self.brand = {"clinic_name": clinic.brand.text("clinic_name")[0], "file": str(clinic.file)}
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            previous = json.loads(self.path.read_text(encoding="utf-8"))
            if previous.get("generator") == f"leaflets {__version__}":
                self.entries = {e["pdf"]: e for e in previous.get("leaflets", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no usable manifest: everything is rebuilt

    def up_to_date(self, unit: Unit, inputs: str) -> bool:
        for paper in unit.papers:
            entry = self.entries.get(unit.pdf_path(paper))
            if not entry or entry.get("inputs") != inputs or entry.get("brand") != self.brand:
                return False
            pdf = self.out_dir / unit.pdf_path(paper)
            if not pdf.is_file() or pdf.stat().st_size != entry["bytes"] \
                    or not (self.out_dir / unit.html_path).is_file():
                return False
        return True

    def record(self, unit: Unit, loaded: LoadedHandout, inputs: str, results: list[dict[str, Any]]) -> None:
        """loaded: the handout in the unit's language."""
        labels = {p.id: p for p in loaded.profiles.profiles}
        status = loaded.translation.status if loaded.translation else "source"
        for result in results:
            self.entries[result["pdf"]] = {
                "handout": unit.handout, "title": loaded.handout.title, "profiles": list(unit.profiles),
                "profile_labels": [labels[p].label for p in unit.profiles],
                "profile_summaries": [labels[p].summary or "" for p in unit.profiles],
                "language": unit.language, "translation_status": status, "paper": result["paper"],
                "variant": result["variant"],
                "brand": self.brand, "content_version": loaded.handout.version,
                "reference": loaded.handout.reference, "review_by": loaded.handout.review_by.isoformat(),
                "pdf": result["pdf"], "html": unit.html_path, "pages": result["pages"], "bytes": result["bytes"],
                "sha256": result["sha256"], "inputs": inputs,
            }
        self.save()  # after every leaflet: a killed batch keeps the record of all it finished

    def keep_only(self, units: list[Unit]) -> None:
        """Forget leaflets that are not in this batch's matrix and whose files are gone."""
        wanted = {u.pdf_path(p) for u in units for p in u.papers}
        self.entries = {k: e for k, e in self.entries.items()
                        if k in wanted or (self.out_dir / k).is_file()}

    def save(self) -> None:
        document = {"generator": f"leaflets {__version__}",
                    "leaflets": [self.entries[k] for k in sorted(self.entries)]}
        write_atomically(self.path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _write_site(out_dir: Path, manifest: _Manifest, clinic: ClinicBrand, content_folder: Path) -> None:
    """index.html per language listing its leaflets, and a front page listing the languages."""
    by_language: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest.entries.values():
        if (out_dir / entry["pdf"]).is_file():
            by_language.setdefault(entry["language"], []).append(entry)
    if not by_language:
        return
    languages = sorted(by_language)
    look = look_of(clinic)
    fronts = []
    for language in languages:
        strings = clinic_strings(language, content_folder, clinic.file)
        context = {"brand": {"clinic_name": clinic.brand.text("clinic_name", language)[0]}}
        handouts: dict[str, dict[str, Any]] = {}
        for entry in sorted(by_language[language], key=lambda e: (e["handout"], e["pdf"])):
            handout = handouts.setdefault(entry["handout"], {"title": entry["title"], "variants": {}})
            key = "+".join(entry["profiles"])
            variant = handout["variants"].setdefault(key, {
                "label": " + ".join(entry["profile_labels"]),
                "summary": " ".join(s for s in entry["profile_summaries"] if s),
                "html": Path(entry["html"]).name, "pdfs": []})
            paper_name = getattr(strings, f"paper_{entry['paper']}")
            label = fill(strings.pdf_link, {"paper": paper_name, "size": f"{max(1, round(entry['bytes'] / 1024))} KB"})
            kind = entry.get("variant", "standard")
            if kind != "standard":
                label += f" · {getattr(strings, kind.replace('-', '_'))}"
            variant["pdfs"].append({"href": Path(entry["pdf"]).name, "label": label})
        for handout in handouts.values():
            handout["variants"] = list(handout["variants"].values())
        others = [{"code": other, "name": language_name(other), "href": f"../{other}/index.html"}
                  for other in languages if other != language]
        page = render_index(language, strings, look, fill(strings.site_intro, context), list(handouts.values()),
                            others, assets="../assets/")
        write_atomically(out_dir / language / "index.html", page.encode("utf-8"))
        fronts.append({"code": language, "name": language_name(language), "direction": direction(language),
                       "title": strings.site_title, "href": f"{language}/index.html"})
    write_atomically(out_dir / "index.html", render_languages(look, fronts, assets="assets/").encode("utf-8"))
    for name, data in site_assets().items():
        target = out_dir / "assets" / name
        if not target.is_file() or target.read_bytes() != data:
            write_atomically(target, data)


class Progress:
    """A progress bar on a terminal; plain lines when output goes to a file or a log."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="leaflet", file=self.stream, leave=True)

    def advance(self, count: int, message: str) -> None:
        if count == 0:
            return
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
            if message.startswith("FAILED"):
                self.bar.write(message, file=self.stream)
        else:
            print(f"[{self.done}/{self.total}] {message}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
