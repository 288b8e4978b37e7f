"""axe-core in the browser tests: inject the vendored axe.min.js (static/vendor/, see
scripts/vendor_npm.py) into the page, run it, and keep the serious and critical violations."""

import json
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent.parent / "static" / "vendor"
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    (script,) = VENDOR.glob("axe-core-*/axe.min.js")  # exactly one pinned version
    return script


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    """One line per rule, then each failing element's selector: what a fix needs."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_serious_violations(page) -> None:
    violations = serious_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
