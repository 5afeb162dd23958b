"""The metric names a PromQL expression reads (enough PromQL for alert rules and dashboards).

Strings, label matchers ``{...}``, ranges ``[...]``, Grafana variables and the label lists of
``by``/``without``/``on``/``ignoring``/``group_left``/``group_right`` are removed; numbers and
durations are skipped; an identifier followed by ``(`` is a function or aggregation; what is
left, minus the keywords, is a metric name.
"""

from __future__ import annotations

import re

_STRING = re.compile(r'"(?:\\.|[^"\\])*"' + r"|'(?:\\.|[^'\\])*'|`[^`]*`")
_VARIABLE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_LABEL_LIST = re.compile(
    r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.IGNORECASE
)
_TOKEN = re.compile(
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:ms|s|m|h|d|w|y)?)"
    r"|(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)(?P<call>\s*\()?"
)
KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
     "group_left", "group_right", "inf", "nan"}
)  # fmt: skip


def metric_names(expr: str) -> set[str]:
    text = _STRING.sub(" ", expr)
    text = _VARIABLE.sub(" ", text)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _LABEL_LIST.sub(" ", text)
    names = set()
    for match in _TOKEN.finditer(text):
        name = match.group("name")
        if name and not match.group("call") and name.lower() not in KEYWORDS:
            names.add(name)
    return names
