"""READING.md stays true: every `path.py` it cites exists and every `path.py:name` is defined at that file's top."""
import ast
import re

from conftest import ROOT

CITE = re.compile(r"`((?:minigrad|demos|parity|tests|benchmarks)/[\w/.\-]+\.py)(?::(\w+))?`")


def top_level_names(path):
    """Functions, classes and assigned names at a module's top level."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def test_every_citation_resolves():
    text = (ROOT / "READING.md").read_text()
    cites = CITE.findall(text)
    assert len(cites) > 40  # the page is a guide through the source, not a stub
    missing = [f"{p}:{n}" if n else p for p, n in cites
               if not (ROOT / p).is_file() or (n and n not in top_level_names(ROOT / p))]
    assert not missing, f"READING.md cites what does not exist: {missing}"


def test_the_six_lecture_steps_are_there():
    text = (ROOT / "READING.md").read_text()
    for step in range(1, 7):
        assert re.search(rf"^## Step {step}: ", text, re.M), f"no section for lecture step {step}"
