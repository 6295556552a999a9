"""Schemathesis hooks for Steward's fuzz run (loaded through SCHEMATHESIS_HOOKS).

Two rules no schema can state are kept here for the cases the fuzzer means to be valid.

A list cursor is valid only when this server issued it for the same list. The document
states every rule of its form (base64url, at most 512 characters), but "issued by this
server" is not something a schema can say, so a made-up cursor of the right form is
rightly refused with 400. For test cases the fuzzer means to be valid (positive mode),
this hook swaps a generated cursor for one the server issued for that list; negative
cases keep what the fuzzer made, so malformed cursors are still sent and must be refused.
"""
import json
import os
import urllib.request

import schemathesis

BASE = os.environ["STEWARD_FUZZ_BASE"]
TOKEN = os.environ["STEWARD_FUZZ_TOKEN"]
_issued: dict[str, str | None] = {}


def _issued_cursor(path: str) -> str | None:
    if path not in _issued:
        request = urllib.request.Request(BASE + path + "?limit=1", headers={"Authorization": "Bearer " + TOKEN})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                _issued[path] = json.load(response).get("nextCursor")
        except Exception:
            _issued[path] = None
    return _issued[path]


# Rich text must keep a minimum of *visible* text once cleaned (markup, comments and control
# characters removed): 10 characters for a post, 1 for a comment. No schema can say that of
# HTML, so valid (positive) cases get a sentence of plain text that keeps them valid; invalid
# cases are left as generated.
_VISIBLE = " Plenty of visible text."


def _keep_visible_text(case) -> None:
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        return
    path = case.operation.path
    limit = 2000 if path.endswith("/comments") else 10000
    body["content"] = body["content"][: limit - len(_VISIBLE)] + _VISIBLE


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    if case.method.upper() in ("POST", "PATCH") and case.operation.path in ("/api/posts", "/api/posts/{id}", "/api/posts/{id}/comments"):
        _keep_visible_text(case)
    query = case.query
    if not query or "cursor" not in query:
        return
    # The path as sent, e.g. /api/posts/3/comments.
    path = case.formatted_path
    cursor = _issued_cursor(path)
    if cursor is None:
        del query["cursor"]
    else:
        query["cursor"] = cursor
