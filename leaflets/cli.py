"""The command line: `python generate.py [build|list] ...` (also installed as `leaflets`).

With no arguments it builds the default leaflet into out/. Errors print as
one readable message and a non-zero exit; tracebacks only with
LEAFLETS_DEBUG=1. Patient details are printed into the PDF and nowhere else.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, patient
from .errors import LeafletError
from .output import STDOUT, write_atomically
from .paths import DEFAULT_HANDOUT

if TYPE_CHECKING:
    from .leaflet import PatientDetails
    from .pipeline import LeafletRequest

# ReportLab, pikepdf, Flask and the renderers are imported by the commands that use them, not here:
# `--help`, `list`, `check` and `new` start without them (about a third of a second less).

# The names of render.pdf.PAPER_SIZES, written out so that --help need not load the renderer to list
# them (tests/test_cli_startup.py keeps the two the same).
PAPERS = ("a4", "letter")

COMMANDS = ("build", "batch", "list", "check", "new", "schemas", "serve", "translations")

PATIENT_FLAGS = {"name": "--patient-name", "date": "--date", "clinician": "--clinician",
                 "follow_up": "--follow-up", "notes": "--notes"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")  # `generate.py --profile calf` means build
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except LeafletError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly; the message may hold patient text, so omit it
        if os.environ.get("LEAFLETS_DEBUG") == "1":
            raise
        print(f"internal error ({type(exc).__name__}). Run again with LEAFLETS_DEBUG=1 for details, "
              "and report it without any patient details.", file=sys.stderr)
        return 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generate.py",
        description="Build printable patient leaflets from YAML content, profiles and a clinic brand.",
        epilog="With no command, `build` runs: `python generate.py` builds the default leaflet into out/. "
               "Each command has its own --help.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"leaflets {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", epilog="example: python generate.py build --content my-handouts --profile femoral+flyer --lang es --paper letter -o leaflet.pdf", help="build one leaflet as a PDF (the default command)",
                                description="Build one leaflet as a PDF.")
    _content_options(build)
    build.add_argument("--handout", help=f"which handout (default: the only one in --content, else {DEFAULT_HANDOUT})")
    build.add_argument("--profile", action="append", default=[], metavar="ID",
                       help="adapt the leaflet; repeat to combine, e.g. --profile femoral --profile flyer, "
                            "or join with +: --profile femoral+flyer (default: the handout's default profile)")
    build.add_argument("--lang", help="language code, in any case: en, EN, zh-Hans, zh-hans "
                                      "(default: the handout's own language)")
    build.add_argument("--paper", default="a4", type=str.lower, choices=PAPERS,
                       help="paper size (default: a4)")
    build.add_argument("--large-print", action="store_true",
                       help="body text 16 pt, headings larger, more space: the same content on more pages")
    build.add_argument("--high-contrast", action="store_true",
                       help="black on white; brand colours only where they keep a 7:1 contrast")
    build.add_argument("-o", "--output", metavar="FILE.pdf",
                       help="where to write the PDF, or - for standard output "
                            "(default: out/<handout>-<profiles>-<lang>-<paper>.pdf)")
    build.add_argument("--fhir", metavar="FILE.json",
                       help="also write a FHIR R4 record of the leaflet given, for the patient's notes: a transaction "
                            "Bundle with a DocumentReference (the PDF inline) and, with discharge details, a "
                            "Communication; - writes it to standard output (docs/ehr-integration.md)")
    _overdue_option(build)
    _budget_option(build)
    build.add_argument("--watch", action="store_true",
                       help="keep running: build again whenever a YAML file of the handout, the brand or the "
                            "wording is saved, and print any error in place of the result (Ctrl-C stops)")
    details = build.add_argument_group(
        "discharge details", "Printed in a 'For you' box. Never logged or stored by this program.")
    for field, flag in PATIENT_FLAGS.items():
        details.add_argument(flag, dest=f"patient_{field}", default="", metavar="TEXT",
                             help=f"at most {patient.LIMITS[field]} characters")
    build.set_defaults(run=_build)

    batch = commands.add_parser(
        "batch", epilog="example: python generate.py batch -o site --profile femoral+flyer --paper a4 --jobs 2", help="build every leaflet (handout x profile x language x paper) and a download site",
        description="Build every leaflet, in parallel, with a download site and manifest.json. "
                    "Unchanged leaflets are skipped; an interrupted batch finishes on the next run.")
    _content_options(batch)
    batch.add_argument("--handout", action="append", default=[], metavar="ID", help="only these handouts (repeat)")
    batch.add_argument("--profile", action="append", default=[], metavar="ID",
                       help="only these profiles (repeat); 'femoral+flyer' builds one combined leaflet")
    batch.add_argument("--lang", action="append", default=[], metavar="CODE", help="only these languages (repeat)")
    batch.add_argument("--paper", action="append", default=[], type=str.lower, choices=PAPERS,
                       help="only these paper sizes (repeat)")
    batch.add_argument("--variant", action="append", default=[], choices=("standard", "large-print", "high-contrast"),
                       help="print variants to build (repeat; default: standard)")
    batch.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help="folder for the site")
    batch.add_argument("--jobs", type=_positive, metavar="N", help="processes to use (default: all cores)")
    batch.add_argument("--force", action="store_true", help="rebuild everything, changed or not")
    _overdue_option(batch)
    _budget_option(batch)
    batch.set_defaults(run=_batch)

    listing = commands.add_parser("list", epilog="example: python generate.py list --content my-handouts", help="show handouts with their profiles and languages",
                                  description="Show handouts with their profiles and languages.")
    _content_options(listing)
    listing.set_defaults(run=_list)

    check = commands.add_parser(
        "check", epilog="example: python generate.py check --content my-handouts --brand my-clinic --strict", help="check content, profiles, wording and brand against the quality rules",
        description="Check every handout, profile, wording file and the brand: format, variables, reading "
                    "level, review dates, sources, brand contrast, page budget and actionability. "
                    "Exit status: 0 no errors, 1 errors (or warnings with --strict). Rules: docs/checks.md.")
    _content_options(check)
    check.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--lang", action="append", default=[], metavar="CODE",
                       help="check translations and page budgets of these languages only (repeat; default: all)")
    check.set_defaults(run=_check)

    new = commands.add_parser(
        "new", help="write a starter handout to fill in: every section kind, one profile, placeholder text",
        description="Write a starter handout (handout.yaml and profiles.yaml) into the content folder: one "
                    "section of every kind, one profile, comments, and placeholder text marked draft. "
                    "It passes `check` and builds as it is.",
        epilog="example: python generate.py new compression-stockings --content my-handouts")
    new.add_argument("handout_id", metavar="HANDOUT-ID", help="the new handout's id, e.g. compression-stockings")
    new.add_argument("--content", type=Path, required=True, metavar="DIR",
                     help="the clinic's folder of handouts (made if it does not exist)")
    new.set_defaults(run=_new)

    schemas = commands.add_parser(
        "schemas", epilog="example: python generate.py schemas -o schemas", help="write the JSON Schema of each file format (for editors that validate YAML)",
        description="Write the JSON Schema of each file format, generated from the loader's own models.")
    schemas.add_argument("-o", "--output", type=Path, default=Path("schemas"), metavar="DIR",
                         help="folder to write into (default: schemas/)")
    schemas.set_defaults(run=_schemas)

    serve = commands.add_parser(
        "serve", epilog="example: python generate.py serve --brand my-clinic --content my-handouts --site site", help="run the discharge desk: a web form nurses use to print a personalised leaflet",
        description="Run the discharge desk, a web form for printing personalised leaflets, with waitress. "
                    "Patient details are printed into the PDF and never logged or stored.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; "
                            "put a reverse proxy with HTTPS in front rather than exposing it)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    _content_options(serve)
    serve.add_argument("--site", type=Path, metavar="DIR", help="also serve a download site built by `batch` at /site/")
    serve.add_argument("--workers", type=_positive, metavar="N", help="render processes (default: one per core)")
    serve.add_argument("--behind-proxy", action="store_true",
                       help="trust X-Forwarded-Proto/-For/-Host from the reverse proxy in front")
    serve.add_argument("--trusted-proxy", default="127.0.0.1", metavar="ADDR",
                       help="with --behind-proxy: the proxy's address, the only one whose X-Forwarded-* "
                            "headers are believed (default: 127.0.0.1)")
    serve.add_argument("--without-proxy", action="store_true",
                       help="allow a --host other than this computer with no reverse proxy in front: plain HTTP "
                            "on the ward's network, each client limited to a few connections")
    serve.set_defaults(run=_serve)

    translations = commands.add_parser(
        "translations", epilog="example: python generate.py translations export --lang es -o dvt-walking-es.po", help="export texts for translators as gettext PO, and import their work",
        description="Export a handout's texts as a gettext PO file for a translation agency, "
                    "and import the translated PO file back into translations/<lang>.yaml.")
    actions = translations.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write a PO file: English, current translation, stale ones fuzzy")
    export.add_argument("--lang", required=True, metavar="CODE", help="the language to translate into")
    export.add_argument("-o", "--output", type=Path, metavar="FILE.po", help="default: <handout>-<lang>.po")
    importing = actions.add_parser("import", help="write translations/<lang>.yaml from a translated PO file")
    importing.add_argument("po", type=Path, metavar="FILE.po")
    for action in (export, importing):
        action.add_argument("--content", type=Path, metavar="DIR", help="folder of handouts (default: built-in)")
        action.add_argument("--handout", help=f"which handout (default: the only one in --content, else {DEFAULT_HANDOUT})")
    translations.set_defaults(run=_translations)
    # `generate.py --help` shows what `generate.py` alone does: build, with its options.
    parser.epilog = (f"{parser.epilog}\n\n{build.format_help()}")
    return parser


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, metavar="DIR",
                        help="folder of handouts (default: the built-in handouts/)")
    parser.add_argument("--brand", type=Path, metavar="PATH",
                        help="clinic brand: a brand.yaml file or its folder (default: the example brand)")


def _overdue_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-overdue", action="store_true",
                        help="leave the 'review overdue' notice off content past its review date "
                             "(only once a clinician has confirmed it is still current)")
    parser.add_argument("--fallback-english", action="store_true",
                        help="print texts that have no translation yet in English, with a notice saying so "
                             "(without it, a missing translation is an error)")


def _budget_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-over-budget", action="store_true",
                        help="write a leaflet that takes more pages than its handout's max_pages (twice that for "
                             "large print, 1.5 times for Urdu's wider line spacing) with a warning, instead of "
                             "refusing it (exit status 2)")


def _patient(args: argparse.Namespace) -> PatientDetails:
    details, problems = patient.details({field: getattr(args, f"patient_{field}") for field in PATIENT_FLAGS})
    for field, problem in problems.items():
        raise LeafletError(f"{PATIENT_FLAGS[field]} {problem}",
                           hint="shorten it; longer notes belong in the patient's record" if "limit" in problem
                           else "type the text again without them")
    return details


def _build(args: argparse.Namespace) -> int:
    if not args.watch:
        output = _build_once(args)
        if output != STDOUT:
            print(output)
        return 0
    if args.output == STDOUT:
        raise LeafletError("--watch writes a file each time: it cannot write to standard output",
                           hint="give a file name with -o, e.g. -o preview.pdf")
    from .watch import watch
    from .content import STRINGS_DIR
    from .paths import default_brand_file, default_content_dir, strings_dir

    def roots() -> list[Path]:
        content = Path(args.content or default_content_dir())
        brand = Path(args.brand or default_brand_file())
        brand_folder = brand if brand.is_dir() else brand.parent
        handout = args.handout or (_only(content) or DEFAULT_HANDOUT)
        return [content / handout, content / STRINGS_DIR, brand_folder, strings_dir()]

    _patient(args)  # bad details are an error now, not on every change
    watch(lambda: _build_once(args), roots)
    return 0


def _only(content: Path) -> str | None:
    from .content import open_library
    try:
        return open_library(content).only_handout(DEFAULT_HANDOUT)
    except LeafletError:
        return None


def _build_once(args: argparse.Namespace) -> str:
    """Build the leaflet the options ask for; return where it was written."""
    from .budget import OverBudget, check_pages
    from .pipeline import LeafletRequest, build_pdf, open_brand, open_library
    from .render.pdf import PrintOptions
    library = open_library(args.content)
    handout = args.handout or library.only_handout(DEFAULT_HANDOUT)
    profiles = tuple(part for spec in args.profile for part in spec.split("+") if part)   # 'femoral+flyer'
    patient_details = _patient(args)
    loaded = library.load(handout)
    language = loaded.language_code(args.lang) if args.lang else None
    request = LeafletRequest(handout, profiles, language, args.paper, patient_details,
                             allow_overdue=args.allow_overdue, fallback_english=args.fallback_english,
                             print_options=PrintOptions(args.large_print, args.high_contrast),
                             allow_over_budget=args.allow_over_budget)
    clinic = open_brand(args.brand)
    output = args.output or _default_output(request, loaded.handout.language)
    if args.fhir and args.fhir == STDOUT == output:
        raise LeafletError("the PDF and the FHIR record cannot both go to standard output",
                           hint="give -o FILE.pdf or --fhir FILE.json")
    pdf = build_pdf(loaded, request, clinic)
    try:
        check_pages(loaded, pdf.pages, request.print_options.large_print, request.language,
                    not request.patient.is_empty())
    except OverBudget as exc:  # only reached with --allow-over-budget
        print(f"warning: {exc}", file=sys.stderr)
    record = _fhir_record(args, request, loaded, clinic, pdf.data) if args.fhir else None
    write_atomically(output, pdf.data)
    if record is not None:
        write_atomically(args.fhir, record)
        if args.fhir != STDOUT:
            print(args.fhir)
    return output


def _fhir_record(args: argparse.Namespace, request: LeafletRequest, loaded, clinic, pdf: bytes) -> bytes:
    import json
    from .fhir import GivenLeaflet, record
    language = request.language or loaded.handout.language
    given = GivenLeaflet(loaded.in_language(language, request.fallback_english), request.profiles, language,
                         request.paper + request.print_options.suffix, pdf,
                         # the site's copy is the same leaflet only when no details were printed into this one
                         clinic.brand.site_url if request.patient.is_empty() else None)
    return (json.dumps(record(given, request.patient), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _default_output(request: LeafletRequest, source_language: str) -> str:
    profiles = "+".join(sorted(request.profiles)) or "default"
    variant = request.print_options.suffix
    return os.path.join("out", f"{request.handout}-{profiles}-{request.language or source_language}-{request.paper}"
                               f"{variant}.pdf")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got '{text}'")
    return int(text)


def _batch(args: argparse.Namespace) -> int:
    from .batch import run_batch  # the process pool is only needed here
    summary = run_batch(args.output, content=args.content, brand=args.brand, handouts=args.handout,
                        profiles=args.profile, languages=args.lang, papers=args.paper, jobs=args.jobs,
                        force=args.force, allow_overdue=args.allow_overdue,
                        fallback_english=args.fallback_english, variants=args.variant or None,
                        allow_over_budget=args.allow_over_budget)
    print(f"built {summary.built}, skipped {summary.skipped}, failed {len(summary.failed)} "
          f"in {summary.seconds:.1f} s; site: {Path(args.output) / 'index.html'}")
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for stem, reason in summary.failed:
        print(f"failed: {stem}: {reason}", file=sys.stderr)
    return 1 if summary.failed else 0


def _check(args: argparse.Namespace) -> int:
    from .quality import run_checks
    report = run_checks(args.content, args.brand, only_languages=args.lang or None)
    print(report.as_json() if args.format == "json" else report.as_text())
    return report.exit_code(args.strict)


def _new(args: argparse.Namespace) -> int:
    from .starter import write_starter
    folder = write_starter(args.handout_id, args.content)
    print(f"{folder}: a starter handout; replace every placeholder, then:")
    print(f"  python generate.py check --content {args.content}")
    print(f"  python generate.py --content {args.content} --handout {args.handout_id}")
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from .schemas import write_schemas
    for path in write_schemas(args.output):
        print(path)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .desk.server import serve
    if not (_this_computer(args.host) or args.behind_proxy or args.without_proxy):
        raise LeafletError(f"--host {args.host} offers the desk to the network with no HTTPS and no limit per client",
                           hint="keep the default 127.0.0.1 and put the clinic's reverse proxy in front "
                                "(see README: --behind-proxy), or, knowing there is none, add --without-proxy")
    serve(args.host, args.port, args.content, args.brand, args.site, args.workers, behind_proxy=args.behind_proxy,
          trusted_proxy=args.trusted_proxy, without_proxy=args.without_proxy)
    return 0


def _this_computer(host: str) -> bool:
    """A loopback address (127.x, ::1, localhost): only programs on this computer can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _translations(args: argparse.Namespace) -> int:
    from .content import open_library
    from .exchange import export_po, import_po
    library = open_library(args.content)
    loaded = library.load(args.handout or library.only_handout(DEFAULT_HANDOUT))
    if args.action == "export":
        language = loaded.language_code(args.lang)
        po = export_po(loaded, language)
        output = args.output or Path(f"{loaded.id}-{language}.po")
        write_atomically(output, str(po).encode("utf-8"))
        todo = sum(1 for e in po if not e.msgstr or "fuzzy" in e.flags)
        print(f"{output}: {len(po)} texts, {todo} to translate or check")
    else:
        file, count = import_po(loaded, args.po)
        print(f"{file}: {count} texts")
    return 0


def _language_states(loaded) -> list[str]:
    """'en (source)', 'es (draft)' ...; a translation that cannot be read says so instead of stopping the list."""
    from .translation import TRANSLATIONS_DIR, load_translation
    states = [f"{loaded.handout.language} (source, {loaded.handout.status})"]
    for language in loaded.languages[1:]:
        try:
            status = load_translation(loaded.folder / TRANSLATIONS_DIR / f"{language}.yaml").status
        except LeafletError:
            status = "has errors: run check"
        states.append(f"{language} ({status})")
    return states


def _list(args: argparse.Namespace) -> int:
    from .brand import open_brand
    from .content import open_library
    library = open_library(args.content)
    open_brand(args.brand)  # a broken brand is worth knowing about here too
    for handout_id in library.handout_ids():
        loaded = library.load(handout_id)
        print(f"{handout_id}: {loaded.handout.title}")
        print(f"  languages: {', '.join(_language_states(loaded))}")
        for line in _code_lines(loaded.handout.codes):
            print(f"  codes: {line}")
        print("  profiles:")
        width = max(len(p.id) for p in loaded.profiles.profiles)
        for profile in loaded.profiles.profiles:
            default = " (default)" if profile.id == loaded.profiles.default else ""
            summary = f" - {profile.summary}" if profile.summary else ""
            print(f"    {profile.id:<{width}}  {profile.label}{default}{summary}")
            for line in _code_lines(profile.codes):
                print(f"    {'':<{width}}  codes: {line}")
    return 0


def _code_lines(codes: dict[str, list[str]]) -> list[str]:
    """'ICD-10-CM I82.411, I82.412', one line per code system, as a terminologist reviews them."""
    from .codes import SYSTEMS
    return [f"{SYSTEMS[system].name} {', '.join(values)}" for system, values in codes.items() if values]
