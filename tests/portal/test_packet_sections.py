"""The packet's cached sections (portal/documents/sections.py): the obligations, rendered once per code,
language, rule set and template version as PDF pages and reused by later packets; a packet built from
the cache is the same, page by page, as one that rendered the section (text read back with pdfplumber,
page count, contents page and running page numbers); a new rule-set version or a template or stylesheet
change renders the section again."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pdfplumber
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import ChoiceLoader, FileSystemLoader

from portal.documents import assembly, lookups, parts, pdf, sections, store
from portal.extensions import db
from portal.models import Document
from tests.fixtures.queue import celery_settings, start_worker, stop
from tests.portal.document_helpers import (
    EMPLOYER_NAME,
    create_case,
    document_id_of,
    download,
    evidence_keys,
    get_document,
    image_xobjects,
    pdf_bytes,
    png_bytes,
    request_document,
    upload,
)

FOLIO = re.compile(r"(\d+) / (\d+)")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class CountingRenderer:
    """The real warm renderer, counting its renders."""

    def __init__(self) -> None:
        self.renders = 0

    def render(self, html: str) -> tuple[bytes, int]:
        self.renders += 1
        return pdf.renderer().render(html)


@pytest.fixture
def obligation_renders(monkeypatch):
    """How many times the packets of a test rendered the obligations section (the real renders)."""
    counted = {"n": 0}
    original = sections.render_template

    def counting(template, **context):
        if template == sections.OBLIGATIONS_TEMPLATE:
            counted["n"] += 1
        return original(template, **context)

    monkeypatch.setattr(sections, "render_template", counting)
    return counted


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        return [page.extract_text() or "" for page in plumber.pages]


def _running_headers(pages: list[str], lang: str) -> list[str]:
    """The first line of each of the packet's own pages after its cover (its running header), up to the
    support letter (annex A, whose pages carry the letter's header)."""
    letter = "Dear Officer," if lang == "en" else "Madame, Monsieur,"
    end = next(i for i, t in enumerate(pages) if letter in t)
    return [t.splitlines()[0] for t in pages[1:end]]


def assert_one_running_header(pages: list[str], lang: str, worker: str = "Avery Inventedname") -> None:
    """Every page of the packet's own after its cover, the obligations taken from the section cache
    included, carries the packet's whole running header: employer, title, worker and code."""
    title = "Offer-submission packet" if lang == "en" else "Dossier de présentation de l'offre"
    headers = _running_headers(pages, lang)
    assert len(headers) >= 5, headers
    assert headers[0].startswith(f"{EMPLOYER_NAME} · {title} · {worker} · "), headers[0]
    assert headers == [headers[0]] * len(headers), headers


def _packet(app, client, case_id: int, lang: str) -> tuple[Document, bytes]:
    packet = get_document(app, document_id_of(request_document(client, case_id, "packet", lang)))
    assert packet.status == "ready", packet.error
    return packet, download(client, packet.id)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_packet_from_the_cached_section_equals_one_that_rendered_it(
    app, client, owner, lang, obligation_renders, new_version_each_request
):
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(2, "Share register"), "register.pdf").status_code == 302
    first, fresh = _packet(app, client, case_id, lang)
    assert obligation_renders["n"] == 1
    with app.app_context():
        cached_files = list((store.root() / sections.CACHE_FOLDER).glob("obligations-*.pdf"))
    assert len(cached_files) == 1
    second, cached = _packet(app, client, case_id, lang)
    assert obligation_renders["n"] == 1  # the second packet took the section's pages from the cache
    assert second.id != first.id and second.page_count == first.page_count
    fresh_pages, cached_pages = _pages(fresh), _pages(cached)
    assert len(fresh_pages) == len(cached_pages) == first.page_count
    # Page by page the same text: contents page (annex and section numbers), running header, folios.
    assert cached_pages == fresh_pages
    # ... and the obligations' pages carry the packet's whole running header, as the other pages do,
    # whether rendered for this packet or taken from the cache (they said "Offer-submission packet · T37").
    assert_one_running_header(fresh_pages, lang)
    assert_one_running_header(cached_pages, lang)
    total = len(cached_pages)
    assert [FOLIO.findall(t)[-1] for t in cached_pages] == [(str(n), str(total)) for n in range(1, total + 1)]
    heading = "The employer's obligations" if lang == "en" else "Les obligations de l'employeur"
    toc = next(i for i, t in enumerate(cached_pages) if "Contents" in t or "Table des matières" in t)
    start = next(i for i, t in enumerate(cached_pages) if t.splitlines()[1:2] == [heading])  # its h1
    # The contents page's line for the obligations ends with the page they start on.
    line = next(x for x in cached_pages[toc].splitlines() if heading in x)
    assert line.rstrip().endswith(str(start + 1)), (line, start + 1)
    assert "register.pdf" in cached_pages[toc]


def _assessment(app, client, case_id: int) -> tuple[str, str, dict]:
    packet, _data = _packet(app, client, case_id, "en")
    return "en", packet.snapshot["letter"]["code"], packet.snapshot["packet"]["assessment"]


def test_the_section_cache_is_reused_and_invalidated_by_a_new_rule_set_version(app, client, owner):
    case_id = create_case(app, client)
    lang, code, assessment = _assessment(app, client, case_id)
    assert assessment["obligations"]
    with app.test_request_context():
        shutil.rmtree(store.root() / sections.CACHE_FOLDER)
        renderer = CountingRenderer()
        data, pages = sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 1 and pages >= 1
        again, again_pages = sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 1 and (again, again_pages) == (data, pages)
        text = " ".join(_pages(data))
        assert assessment["obligations"][0]["regulation"] in text
        # Another language or code is another section.
        sections.obligations_pdf("fr", code, assessment, renderer)
        assert renderer.renders == 2
        # A new rule set: rendered again, even with the same obligations.
        newer = {**assessment, "ruleset_version": f"{assessment['ruleset_version']}-next"}
        sections.obligations_pdf(lang, code, newer, renderer)
        assert renderer.renders == 3
        sections.obligations_pdf(lang, code, newer, renderer)
        assert renderer.renders == 3
        # A damaged cache file is rendered again, not served.
        for path in (store.root() / sections.CACHE_FOLDER).glob("obligations-*.pdf"):
            path.write_bytes(b"not a pdf")
        sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 4


def test_the_section_cache_is_invalidated_by_a_template_or_stylesheet_change(
    app, client, owner, tmp_path, monkeypatch
):
    case_id = create_case(app, client)
    lang, code, assessment = _assessment(app, client, case_id)
    renderer = CountingRenderer()
    with app.test_request_context():
        sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 0  # the packet above left it in the cache
        # The section's template changed (an overriding copy with one more line in it).
        changed = tmp_path / "templates"
        (changed / "documents").mkdir(parents=True)
        included = sections.OBLIGATIONS_SOURCES[1]  # the section itself, included by the page
        source = (TEMPLATES / included).read_text(encoding="utf-8")
        (changed / included).write_text(
            source.replace("</section>", "<p>Revised template.</p></section>"), encoding="utf-8"
        )
        monkeypatch.setattr(
            app.jinja_env, "loader", ChoiceLoader([FileSystemLoader(str(changed)), app.jinja_env.loader])
        )
        app.jinja_env.cache.clear()
        data, _pages_n = sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 1 and "Revised template." in " ".join(_pages(data))
        sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 1
        # The stylesheet changed.
        css = tmp_path / "documents.css"
        css.write_text(pdf.STYLESHEET.read_text(encoding="utf-8") + "\n.cite { color: #000; }\n", "utf-8")
        monkeypatch.setattr(pdf, "STYLESHEET", css)
        sections.obligations_pdf(lang, code, assessment, renderer)
        assert renderer.renders == 2


def test_a_packet_rendered_in_parallel_by_two_workers_equals_the_sequential_one(
    make_app, redis_url, pg_url, make_employer, login, tmp_path
):
    """Two real ``celery worker`` processes: the one that claims the packet sends its parts out and the
    other renders some of them (documents.render_part); the merged packet equals, page by page, the
    same snapshot rendered sequentially in this process (no broker: every part here, in order). An image
    evidence file's page is one of the parts: it lands as the last annex, its image drawn."""
    real = make_app(CELERY=celery_settings(redis_url))
    client = real.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    case_id = create_case(real, client)
    keys = evidence_keys(real, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(2, "Share register"), "register.pdf").status_code == 302
    assert upload(client, case_id, keys[2], png_bytes((300, 200)), "payslip.png").status_code == 302
    procs = [start_worker(tmp_path, pg_url, redis_url, name) for name in ("parts-a", "parts-b")]
    try:
        packet_id = document_id_of(request_document(client, case_id, "packet"))
        deadline = time.monotonic() + 90
        while get_document(real, packet_id).status not in ("ready", "failed"):
            assert time.monotonic() < deadline, "the packet was not rendered in time"
            time.sleep(0.2)
    finally:
        for proc in procs:
            stop(proc)
    packet = get_document(real, packet_id)
    assert packet.status == "ready", packet.error
    parallel = download(client, packet_id)
    logs = b"".join(proc.log_path.read_bytes() for proc in procs)
    # Some parts were rendered by the other process, not by the one that claimed the packet.
    assert re.search(rb"documents\.render_part\[[^\]]+\] succeeded in [0-9.]+s: 'rendered'", logs), logs[
        -3000:
    ]
    assert b"Traceback" not in logs

    sequential_app = make_app()  # Celery eager, no broker: parts.render_all renders each part here
    assert sequential_app.config["CELERY"]["task_always_eager"]
    with sequential_app.app_context():
        document = db.session.get_one(Document, packet_id)
        # not from the parts the parallel render kept (portal/documents/partcache.py): rendered again
        shutil.rmtree(store.absolute(f"{lookups.folder(document)}/parts"), ignore_errors=True)
        with sequential_app.test_request_context():
            sequential, pages = assembly.build_pdf(document)
        db.session.rollback()
    assert pages == packet.page_count
    parallel_pages, sequential_pages = _pages(parallel), _pages(sequential)
    assert len(parallel_pages) == len(sequential_pages) == packet.page_count
    assert parallel_pages == sequential_pages  # contents page, running headers and "X / N" included
    assert_one_running_header(parallel_pages, "en")
    toc = next(i for i, t in enumerate(parallel_pages) if "Contents" in t)
    for title in ("Employer Portal data sheet", "Pre-checks before filing", "Evidence checklist"):
        line = next(x for x in parallel_pages[toc].splitlines() if x.startswith(title))
        start = int(line.rsplit(" ", 1)[1])
        assert parallel_pages[start - 1].splitlines()[1].startswith(title), (title, start)
    total = len(parallel_pages)
    assert [FOLIO.findall(t)[-1] for t in parallel_pages] == [
        (str(n), str(total)) for n in range(1, total + 1)
    ]
    assert "Share register 2" in parallel_pages[-2]  # the register's two pages, then the payslip's one
    assert len(image_xobjects(parallel, total - 1)) == 1 and image_xobjects(sequential, total - 1)
    assert all(not image_xobjects(parallel, n) for n in range(total - 1))


def test_the_section_cache_is_invalidated_by_a_corrected_translation(app, tmp_path, monkeypatch):
    """The section's headings are translated: a corrected French catalogue is another section (English,
    the source language, has no catalogue and keeps its key)."""
    assessment = {"ruleset_version": "v", "obligations": [{"id": "wage", "text": "Pay the wage."}]}
    source = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]) / "fr" / "LC_MESSAGES" / "messages.po"
    with app.test_request_context():
        before = {lang: sections.obligations_key(lang, "C62", assessment) for lang in ("en", "fr")}
        with source.open("rb") as po:
            catalog = read_po(po)
        message = next(m for m in catalog if m.id and m.string)
        message.string = f"{message.string} (corrigé)"
        folder = tmp_path / "translations" / "fr" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "messages.mo").open("wb") as out:
            write_mo(out, catalog)
        monkeypatch.setitem(app.config, "BABEL_TRANSLATION_DIRECTORIES", str(tmp_path / "translations"))
        after = {lang: sections.obligations_key(lang, "C62", assessment) for lang in ("en", "fr")}
    assert after["en"] == before["en"]
    assert after["fr"] != before["fr"]


def test_local_parts_are_rendered_here_and_never_sent_through_the_broker(make_app, redis_url, monkeypatch):
    """parts.render_all sends every part but the first to the other worker processes through Redis; an
    image evidence file's page (``local``: it holds the whole image) is rendered by this process only,
    and comes last in the result."""
    real = make_app(CELERY=celery_settings(redis_url))
    sent: list[tuple] = []
    with real.app_context():
        celery = real.extensions["celery"]
        monkeypatch.setattr(celery, "send_task", lambda name, args, **_kw: sent.append((name, args)))
        pages = [f"<html><body><h1>Part {n}</h1></body></html>" for n in range(3)]
        picture = '<html><body class="evidence-page"><p>IMAGE-BYTES</p></body></html>'
        done = parts.render_all(pages, pdf.renderer(), local=[picture])
    assert [name for name, _args in sent] == ["documents.render_part"] * 2  # parts 1 and 2, not the image
    assert not any("IMAGE-BYTES" in str(args) for _name, args in sent)
    texts = [_pages(part.data)[0].strip() for part in done]
    assert texts == ["Part 0", "Part 1", "Part 2", "IMAGE-BYTES"]
