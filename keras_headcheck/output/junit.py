"""`--output-format junit`: JUnit XML for CI test dashboards.

One testsuite per file, one testcase per finding. Errors and warnings are failures; info
findings are passing testcases that say what they noticed. A run without findings is an empty
`<testsuites>` (this format sees findings only, not the list of clean files). A path that could
not be read is a testsuite of its own holding one `<error>` testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Optional, TextIO

from ..findings import Finding
from . import Context, Unreadable

# Characters XML 1.0 cannot hold at all, even escaped (layer names come from untrusted files).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _testcase(finding: Finding) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "name": _text(f"{finding.code} {finding.name} (output {finding.output})"),
            "classname": _text(finding.filename),
            "file": _text(finding.filename),
        },
    )
    if finding.line:
        case.set("line", str(finding.line))
    details = _text(
        f"{finding.severity} {finding.code} {finding.name}\n"
        f"{finding.message}\noutput: {finding.output}\nlayer: {finding.layer}\n"
        f"help: {finding.fix}\n{finding.url}"
    )
    if finding.is_failure:
        failure = ET.SubElement(
            case,
            "failure",
            {
                "message": _text(finding.message),
                "type": f"{finding.severity}:{finding.code}",
            },
        )
        failure.text = details
    else:
        ET.SubElement(case, "system-out").text = details
    return case


def _error_case(entry: Unreadable) -> ET.Element:
    """A path that could not be read: an `<error>` test case, so the dashboard shows a failed run."""
    case = ET.Element(
        "testcase", {"name": "read", "classname": _text(entry.path), "file": _text(entry.path)}
    )
    error = ET.SubElement(case, "error", {"message": _text(entry.reason), "type": "unreadable"})
    error.text = _text(f"{entry.path}: {entry.reason}")
    return case


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    root = ET.Element("testsuites", {"name": "keras-headcheck"})
    for entry in context.unreadable if context else ():
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": _text(entry.path), "tests": "1", "failures": "0", "errors": "1",
             "skipped": "0"},
        )  # fmt: skip
        suite.append(_error_case(entry))
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.filename, []).append(finding)
    for filename, in_file in by_file.items():
        cases = [_testcase(f) for f in in_file]
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": _text(filename),
                "tests": str(len(cases)),
                "failures": str(sum(c.find("failure") is not None for c in cases)),
                "errors": "0",
                "skipped": "0",
            },
        )
        suite.extend(cases)
    suites = root.findall("testsuite")
    root.set("tests", str(sum(int(s.get("tests", 0)) for s in suites)))
    root.set("failures", str(sum(int(s.get("failures", 0)) for s in suites)))
    root.set("errors", str(sum(int(s.get("errors", 0)) for s in suites)))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    # ASCII with character references: correct whatever encoding the stream has.
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(body.encode("ascii", "xmlcharrefreplace").decode("ascii") + "\n")
