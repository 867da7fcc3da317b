"""Packet parts kept per case (portal/documents/partcache.py): a packet asked for again renders only the
parts whose HTML changed, the others come from the case's kept parts; a packet made from kept parts is
page by page the one a fresh render makes; a stylesheet or rendering-code change, a damaged file or a
full folder never serve a stale part; the parts stay in the case's own folder, and the beat removes
those no packet used for a month."""

from __future__ import annotations

import os
import time

from portal.documents import partcache, parts, pdf, store
from tests.fixtures.queue import celery_settings
from tests.portal.document_helpers import (
    built_afresh,
    create_case,
    document_id_of,
    download,
    get_document,
    kept_parts,
    plumbed_pages,
    request_document,
)
from workers.tasks.documents import prune_parts


def test_a_packet_asked_for_again_renders_no_part_and_reads_the_same(
    app, client, owner, renders, new_version_each_request
):
    case_id = create_case(app, client)
    first = get_document(app, document_id_of(request_document(client, case_id, "packet")))
    assert first.status == "ready", first.error
    kept = kept_parts(app, first)
    assert len(kept) >= 3, kept  # the letter and the packet's own renders, in the case's folder
    with app.app_context():  # in the case's own folder of the store
        folder = store.absolute(f"org-{first.organization_id}/case-{case_id}/parts")
    assert sorted(p.name for p in folder.glob("*.part")) == kept
    renders.clear()
    second = get_document(app, document_id_of(request_document(client, case_id, "packet")))
    assert second.status == "ready", second.error
    assert renders == []  # every part came from the kept ones
    assert second.version == first.version + 1 and second.page_count == first.page_count
    assert plumbed_pages(download(client, second.id)) == plumbed_pages(download(client, first.id))

    # The same snapshot with the kept parts removed: rendered afresh, page by page the same.
    fresh, pages = built_afresh(app, second)
    assert len(renders) >= 3 and pages == second.page_count
    assert plumbed_pages(fresh) == plumbed_pages(download(client, second.id))


def test_only_the_changed_part_is_rendered_again(app, renders):
    htmls = [f'<html><body><section id="s{n}"><h1>Part {n}</h1></section></body></html>' for n in range(3)]
    with app.app_context():
        cache = partcache.PartCache("org-1/case-1", pdf.renderer().fingerprint)
        first = parts.render_all(htmls, pdf.renderer(), cache=cache)
        assert len(renders) == 3
        again = parts.render_all(htmls, pdf.renderer(), cache=cache)
        assert len(renders) == 3
        assert [(p.data, p.pages, p.anchors) for p in again] == [(p.data, p.pages, p.anchors) for p in first]
        changed = [htmls[0], htmls[1].replace("Part 1", "Part 1, revised"), htmls[2]]
        done = parts.render_all(changed, pdf.renderer(), cache=cache)
        assert renders[3:] == [changed[1]]
        assert [plumbed_pages(p.data)[0].strip() for p in done] == ["Part 0", "Part 1, revised", "Part 2"]
        assert done[1].anchors == {"s1": 0}


def test_a_stylesheet_change_or_a_damaged_file_is_rendered_again(app, renders, tmp_path, monkeypatch):
    html = "<html><body><h1>Kept</h1></body></html>"
    with app.app_context():
        renderer = pdf.renderer()
        cache = partcache.PartCache("org-1/case-2", renderer.fingerprint)
        parts.render_all([html], renderer, cache=cache)
        parts.render_all([html], renderer, cache=cache)
        assert len(renders) == 1
        # A damaged file (a crash while it was written): its PDF no longer matches its hash.
        (kept,) = store.absolute("org-1/case-2/parts").glob("*.part")
        kept.write_bytes(kept.read_bytes()[:-100])
        parts.render_all([html], renderer, cache=cache)
        assert len(renders) == 2
        parts.render_all([html], renderer, cache=cache)
        assert len(renders) == 2  # kept again, whole
        # A new stylesheet (a new deploy: a new renderer parses it): another key, rendered again.
        css = tmp_path / "documents.css"
        css.write_text(pdf.STYLESHEET.read_text(encoding="utf-8") + "\nh1 { color: #b91c1c; }\n", "utf-8")
        monkeypatch.setattr(pdf, "STYLESHEET", css)
        restyled = pdf.Renderer()
        assert restyled.fingerprint != renderer.fingerprint
        restyled_cache = partcache.PartCache("org-1/case-2", restyled.fingerprint)
        new = parts.render_all([html], restyled, cache=restyled_cache)[0]
        assert len(renders) == 3
        assert parts.render_all([html], restyled, cache=restyled_cache)[0].data == new.data
        assert len(renders) == 3


def test_kept_parts_keep_their_places_beside_the_rendered_and_local_ones(app, renders):
    htmls = [f"<html><body><p>Part {name}</p></body></html>" for name in "ABC"]
    picture = "<html><body><p>Picture</p></body></html>"
    with app.app_context():
        cache = partcache.PartCache("org-1/case-5", pdf.renderer().fingerprint)
        parts.render_all([htmls[0], htmls[2]], pdf.renderer(), cache=cache)  # A and C kept
        renders.clear()
        done = parts.render_all(htmls, pdf.renderer(), local=[picture], cache=cache)
    assert renders == [htmls[1], picture]
    assert [plumbed_pages(p.data)[0].strip() for p in done] == ["Part A", "Part B", "Part C", "Picture"]


def test_a_part_a_renderer_of_another_version_made_is_used_but_notkept_parts(
    make_app, redis_url, monkeypatch
):
    """Mid-deploy, a worker of the old code may render a part of a new worker's packet: the packet uses
    it, the case does not keep it under the new renderer's key."""
    real = make_app(CELERY=celery_settings(redis_url))
    with real.app_context():
        older = pdf.Renderer()
        older.fingerprint = "the renderer of an older version"
        celery = real.extensions["celery"]
        # the other worker process takes each part off the queue at once and renders it
        monkeypatch.setattr(celery, "send_task", lambda _name, args, **_kw: parts.render_part(*args, older))
        htmls = [f"<html><body><p>Part {n}</p></body></html>" for n in range(3)]
        cache = partcache.PartCache("org-1/case-6", pdf.renderer().fingerprint)
        done = parts.render_all(htmls, pdf.renderer(), cache=cache)
        kept = list(store.absolute("org-1/case-6/parts").glob("*.part"))
    assert [plumbed_pages(p.data)[0].strip() for p in done] == ["Part 0", "Part 1", "Part 2"]
    assert len(kept) == 1  # part 0, rendered by this process; parts 1 and 2 came from the older one


def test_a_case_keeps_its_most_recently_used_parts_only(app, renders, monkeypatch):
    monkeypatch.setattr(partcache, "KEPT", 3)
    htmls = [f"<html><body><p>Version {n}</p></body></html>" for n in range(5)]
    with app.app_context():
        cache = partcache.PartCache("org-1/case-3", pdf.renderer().fingerprint)
        for html in htmls:
            parts.render_all([html], pdf.renderer(), cache=cache)
        assert len(list(store.absolute("org-1/case-3/parts").glob("*.part"))) == 3
        parts.render_all([htmls[4]], pdf.renderer(), cache=cache)  # kept: no render
        assert len(renders) == 5
        parts.render_all([htmls[0]], pdf.renderer(), cache=cache)  # the oldest went first
        assert len(renders) == 6
        assert not list(store.absolute("org-1/case-3/parts").glob(".tmp-*"))


def test_the_beat_removes_the_parts_no_packet_used_for_a_month_and_nothing_else(app, renders):
    assert app.config["CELERY"]["beat_schedule"]["prune-packet-parts"]["task"] == "documents.prune_parts"
    days = app.config["DOCUMENT_PARTS_MAX_AGE_DAYS"]
    month_ago = time.time() - (days + 1) * 86400
    htmls = [f"<html><body><p>Part {n}</p></body></html>" for n in range(3)]
    with app.app_context():
        renderer = pdf.renderer()
        here, there = (partcache.PartCache(f"org-1/case-{n}", renderer.fingerprint) for n in (3, 4))
        parts.render_all(htmls[:2], renderer, cache=here)
        parts.render_all(htmls[2:], renderer, cache=there)
        kept = {html: store.absolute(here._relative(html)) for html in htmls[:2]}
        kept[htmls[2]] = store.absolute(there._relative(htmls[2]))
        document = store.absolute("org-1/case-3/doc-1-v1-0000aaaa.pdf")  # a document beside its parts
        document.write_bytes(b"%PDF-1.7 a stored document")
        torn = kept[htmls[0]].with_name(".tmp-torn.part-0123abcd")  # left by a writer killed a month ago
        torn.write_bytes(b"half")
        for path in [*kept.values(), document, torn]:
            os.utime(path, (month_ago, month_ago))
        assert here.get(htmls[1]) is not None  # a packet used this part today: it stays

        assert prune_parts.delay().get() == 3
        assert [html for html, path in kept.items() if path.exists()] == [htmls[1]]
        assert document.exists() and not torn.exists()
        renders.clear()
        parts.render_all(htmls, renderer, cache=here)  # a pruned part is rendered again when asked for
        assert renders == [htmls[0], htmls[2]]
        assert prune_parts.delay().get() == 0
