"""The admin analytics page's GraphQL traffic: which operations are kept, and how each lands.

Kept means named in settings.operations of config/extractors/linktree.json *and* answering
under one of that operation's root fields (`getAccountAnalytics.<section>`, or `link<ID>`
aliases for link titles). Everything else the page asks (currentUser, wallet, chat, …) is
left out, never saved on the chance it is analytics.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from common.extractor_config import ExtractorConfig, ExtractorConfigError
from common.zones import landing_file_name
from linktree.settings import ANALYTICS_ROOT, ANALYTICS_SECTIONS, LINK_ALIAS, SERVICE

if TYPE_CHECKING:
    from datetime import datetime

    from playwright.sync_api import Request, Response

OPERATIONS_SETTING = "operations"
LINK_TITLES_ROOT = "link<ID>"
ROOTS = frozenset({LINK_TITLES_ROOT, *(f"{ANALYTICS_ROOT}.{s}" for s in ANALYTICS_SECTIONS)})
# A GraphQL name: safe as it stands inside a file name.
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


@dataclass(frozen=True)
class CapturedOperation:
    """One GraphQL answer as the page received it, with what the page asked."""

    operation: str | None
    query: object
    variables: object
    body: object

    def landing_record(self) -> bytes:
        """The capture record the Linktree cleaners read: operation, query, variables, answer."""
        record = {
            "operationName": self.operation,
            "query": self.query,
            "variables": self.variables,
            "response": self.body,
        }
        return json.dumps(record, ensure_ascii=False).encode("utf-8")

    def landing_name(self, when: datetime) -> str:
        # The operation name keeps its case: it is the one the page and the config use.
        return landing_file_name(SERVICE, f"graphql_{self.operation}", "json", when)


def wanted_operations(config: ExtractorConfig) -> dict[str, tuple[str, ...]]:
    """settings.operations: each kept operation name and the root fields its answer holds."""
    setting = config.setting(OPERATIONS_SETTING)
    problem = f"{config.file}: settings.{OPERATIONS_SETTING} must map GraphQL operation names "
    problem += f"to lists of root fields among {', '.join(sorted(ROOTS))}"
    if not isinstance(setting, dict) or not setting:
        raise ExtractorConfigError(problem + ".")
    wanted: dict[str, tuple[str, ...]] = {}
    for name, roots in setting.items():
        if not _OPERATION_NAME.fullmatch(name) or not isinstance(roots, list) or not roots:
            raise ExtractorConfigError(f"{problem} ({name!r} is not).")
        unknown = [root for root in roots if root not in ROOTS]
        if unknown:
            raise ExtractorConfigError(f"{problem} ({name!r} names {unknown}).")
        wanted[name] = tuple(roots)
    return wanted


def _graphql_request(request: Request) -> dict[str, object]:
    """operationName, query and variables as a POST body or, for GET, the query string."""
    if request.method == "GET":
        fields = {key: values[0] for key, values in parse_qs(urlsplit(request.url).query).items()}
        try:
            variables = json.loads(fields.get("variables", "null"))
        except ValueError:
            variables = fields.get("variables")
        return {**fields, "variables": variables}
    try:
        sent = request.post_data_json
    except ValueError:
        return {}
    # A batched request (a list of operations) names no single operation: not kept.
    return sent if isinstance(sent, dict) else {}


def operation_name(request: Request) -> str | None:
    name = _graphql_request(request).get("operationName")
    return name if isinstance(name, str) and name else None


def captured_operation(response: Response) -> CapturedOperation:
    """What the page asked and got; a body that is not JSON is kept as None (never kept)."""
    from playwright.sync_api import Error as PlaywrightError

    sent = _graphql_request(response.request)
    name = sent.get("operationName")
    try:
        body: object = response.json()
    except (PlaywrightError, ValueError):  # aborted, redirected or not JSON: not analytics
        body = None
    return CapturedOperation(
        name if isinstance(name, str) and name else None,
        sent.get("query"),
        sent.get("variables"),
        body,
    )


def answers_root(body: object, root: str) -> bool:
    """True when the answer's data holds `root` (a dotted path, or every field a link alias)."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not data:
        return False
    if root == LINK_TITLES_ROOT:
        return all(LINK_ALIAS.fullmatch(field) for field in data)
    node: object = data
    for step in root.split("."):
        node = node.get(step) if isinstance(node, dict) else None
    return node is not None


def is_kept(captured: CapturedOperation, wanted: dict[str, tuple[str, ...]]) -> bool:
    roots = wanted.get(captured.operation or "")
    return roots is not None and any(answers_root(captured.body, root) for root in roots)


def newest_kept(
    captured: list[CapturedOperation], wanted: dict[str, tuple[str, ...]]
) -> dict[str, CapturedOperation]:
    """The last kept answer of each operation: the page asks again after each choice, and
    the last answer is the one for the chosen range and granularity."""
    newest: dict[str, CapturedOperation] = {}
    for answer in captured:
        if answer.operation is not None and is_kept(answer, wanted):
            newest[answer.operation] = answer
    return newest
