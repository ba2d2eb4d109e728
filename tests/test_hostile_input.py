"""Hostile input files are refused quickly and cheaply, with exit 2 and the file named.

Content, brand and translation files may come from anywhere. Each case runs the
command in its own process under a memory limit (so old code fails fast instead of
taking the machine down) and reads its CPU time and peak memory back from the
kernel (getrusage): a refusal must cost under a second of CPU and under 200 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, edit

MAX_CPU_SECONDS = 1.0
MAX_RSS_MB = 200
ADDRESS_SPACE_LIMIT = 2 * 1024 ** 3  # the safety net: a runaway process dies here, not at 4 GB


# The command runs under a small launcher: a child forked straight from pytest would count pytest's
# own memory, copied at the fork, in its peak (ru_maxrss survives exec).
LAUNCHER = """
import json, resource, subprocess, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
with open(sys.argv[2], "wb") as out, open(sys.argv[3], "wb") as err:
    try:
        code = subprocess.run(sys.argv[5:], stdout=out, stderr=err, stdin=subprocess.DEVNULL, timeout=60).returncode
    except subprocess.TimeoutExpired:
        code = "timeout"
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[4], "w") as report:
    json.dump({"code": code, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}, report)
"""


def run_limited(*args: str, cwd: Path) -> tuple[int, str, float, float]:
    """Run generate.py; returns exit code, stderr, CPU seconds and peak memory in MB."""
    files = [cwd / name for name in ("stdout.txt", "stderr.txt", "usage.json")]
    subprocess.run([sys.executable, "-c", LAUNCHER, str(ADDRESS_SPACE_LIMIT), *map(str, files),
                    sys.executable, str(ROOT / "generate.py"), *args], cwd=cwd, check=True, timeout=120)
    usage = json.loads(files[2].read_text())
    return usage["code"], files[1].read_text(encoding="utf-8", errors="replace"), usage["cpu"], usage["rss_mb"]


def assert_refused(tmp_path: Path, args: list[str], named: Path, *fragments: str) -> str:
    """Exit 2 with one message naming the file; `check` instead reports it as an error and exits 1."""
    out = tmp_path / "leaflet.pdf"
    if args[0] == "check":
        code, err, cpu, rss = run_limited(*args, "--format", "text", cwd=tmp_path)
        err = (tmp_path / "stdout.txt").read_text(encoding="utf-8") + err
        assert code == 1 and f"{named}, line" in err and ": error [" in err, f"exit {code}\n{err[-2000:]}"
    else:
        code, err, cpu, rss = run_limited(*args, "-o", str(out), cwd=tmp_path) if args[0] == "build" \
            else run_limited(*args, cwd=tmp_path)
        assert code == 2, f"exit {code}, expected 2 (bad input)\n{err[-2000:]}"
        assert err.startswith("error: "), err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    assert str(named) in err, f"the message does not name {named}:\n{err}"
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert not out.exists()
    assert cpu < MAX_CPU_SECONDS, f"{cpu:.2f} s of CPU to refuse the file"
    assert rss < MAX_RSS_MB, f"{rss:.0f} MB of memory to refuse the file"
    return err


# "Billion laughs": nine aliases of nine aliases ... a 1 kB file that stands for 9^9 strings.
ALIAS_BOMB = "".join(
    [f"lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    + [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)])


def test_an_alias_bomb_in_a_handout_is_refused(tmp_path, content_copy):
    handout = content_copy / "dvt-walking" / "handout.yaml"
    edit(handout, "title: Walking after", ALIAS_BOMB + "title: Walking after")
    line = handout.read_text(encoding="utf-8").splitlines().index(ALIAS_BOMB.splitlines()[0]) + 1
    for command in ("build", "check"):
        err = assert_refused(tmp_path, [command, "--content", str(content_copy)], handout,
                             f"line {line}", "anchor", "->")


def test_an_alias_in_a_wording_file_names_its_line(tmp_path, brand_copy):
    """A single harmless-looking alias is refused too: aliases are not part of the format."""
    brand = brand_copy / "brand.yaml"
    edit(brand, "phone: 020 7946 0321", "phone: &phone 020 7946 0321\nfax: *phone")
    line = brand.read_text(encoding="utf-8").splitlines().index("phone: &phone 020 7946 0321") + 1
    assert_refused(tmp_path, ["build", "--brand", str(brand_copy)], brand, f"line {line}, column 8", "anchor")


def test_an_oversized_content_file_is_refused(tmp_path, content_copy):
    profiles = content_copy / "dvt-walking" / "profiles.yaml"
    with open(profiles, "a", encoding="utf-8") as file:
        for _ in range(30_000):
            file.write("# " + "padding " * 10 + "\n")  # 2.5 MB of comments: valid YAML, far too big
    assert_refused(tmp_path, ["build", "--content", str(content_copy)], profiles, "larger than 2 MB")


def test_nesting_deeper_than_the_format_needs_is_refused(tmp_path, content_copy):
    handout = content_copy / "dvt-walking" / "handout.yaml"
    edit(handout, "title: Walking after", "deep: " + "[" * 500 + "]" * 500 + "\ntitle: Walking after")
    assert_refused(tmp_path, ["build", "--content", str(content_copy)], handout, "nested more than")


def test_an_oversized_po_file_is_refused(tmp_path, content_copy):
    po = tmp_path / "es.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n\n' + "# padding padding padding\n" * 100_000,
                  encoding="utf-8")
    before = (content_copy / "dvt-walking" / "translations" / "es.yaml").read_bytes()
    assert_refused(tmp_path, ["translations", "import", str(po), "--content", str(content_copy)], po,
                   "larger than 2 MB")
    assert (content_copy / "dvt-walking" / "translations" / "es.yaml").read_bytes() == before


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
           'width="100" height="100" viewBox="0 0 100 100">\n'
HOSTILE_SVGS = [
    pytest.param(SVG_OPEN + '<image href="file:///etc/hostname" width="10" height="10"/>\n</svg>\n',
                 "file:///etc/hostname", id="image-href-file-url"),
    pytest.param('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY host SYSTEM "file:///etc/hostname">]>\n'
                 + SVG_OPEN + '<text x="0" y="50">&host;</text>\n</svg>\n',
                 "file:///etc/hostname", id="external-entity"),
    pytest.param(SVG_OPEN + '<use xlink:href="../../../../../../../../etc/hostname#x"/>\n</svg>\n',
                 "etc/hostname", id="xlink-relative-path"),
    pytest.param(SVG_OPEN + '<image xlink:href="https://example.org/track.png" width="10" height="10"/>\n</svg>\n',
                 "https://example.org/track.png", id="xlink-network"),
]


@pytest.mark.parametrize("svg, reference", HOSTILE_SVGS)
def test_a_logo_that_reaches_outside_itself_is_refused(tmp_path, brand_copy, svg, reference):
    logo = brand_copy / "logo.svg"
    logo.write_text(svg, encoding="utf-8")
    assert_refused(tmp_path, ["build", "--brand", str(brand_copy)], logo, reference, "line ", "->")


def test_an_svg_entity_bomb_is_refused(tmp_path, brand_copy):
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    logo = brand_copy / "logo.svg"
    logo.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE svg [{entities}]>\n'
                    + SVG_OPEN + '<text x="0" y="50">&a9;</text>\n</svg>\n', encoding="utf-8")
    assert_refused(tmp_path, ["build", "--brand", str(brand_copy)], logo, "entit")


def test_an_oversized_logo_is_refused(tmp_path, brand_copy):
    logo = brand_copy / "logo.svg"
    logo.write_text(SVG_OPEN + "<!--" + "x" * (3 * 1024 * 1024) + "-->\n</svg>\n", encoding="utf-8")
    assert_refused(tmp_path, ["build", "--brand", str(brand_copy)], logo, "larger than 2 MB")


def test_the_shipped_logo_and_an_embedded_image_are_still_accepted(tmp_path, brand_copy):
    """What is refused is reaching outside the file: fragments and embedded data stay allowed."""
    import base64
    import io

    from PIL import Image
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    logo = brand_copy / "logo.svg"
    data = base64.b64encode(png.getvalue()).decode("ascii")
    logo.write_text(SVG_OPEN + '<defs><circle id="c" cx="50" cy="50" r="40" fill="#1F5C99"/></defs>\n'
                    '<use xlink:href="#c"/>\n'
                    f'<image href="data:image/png;base64,{data}" width="20" height="20"/>\n</svg>\n',
                    encoding="utf-8")
    out = tmp_path / "leaflet.pdf"
    code, err, _, _ = run_limited("build", "--brand", str(brand_copy), "-o", str(out), cwd=tmp_path)
    assert code == 0, err
    assert out.stat().st_size > 10_000
