"""Schemathesis hooks for the hub's API (loaded with SCHEMATHESIS_HOOKS=tests/fuzz/hooks.py).

A page cursor is opaque: the only valid ones are the `nextCursor` values the API handed out, which
a generator cannot invent. A generated cursor is dropped before the call (Schemathesis re-reads
the case, so a case is judged by what is actually sent); the cursor itself is covered by the
API's own tests (a page's nextCursor leads to the next page; anything else is 400).
"""

import schemathesis


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.query and "cursor" in case.query:
        del case.query["cursor"]
